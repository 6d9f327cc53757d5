using System;
using System.Text.RegularExpressions;

namespace FineTune.Service;

/// <summary>
/// Removes keys from text that reaches users: the connection's own key, and the partly
/// masked keys services echo in their error messages (<c>sk-proj-****abcd</c>).
/// </summary>
internal static class SecretRedactor
{
    public const string Mask = "***";

    private static readonly Regex KeyLike = new(@"\bsk-[A-Za-z0-9_\-\*]{4,}|\*{4,}[A-Za-z0-9_\-]{1,8}", RegexOptions.CultureInvariant);

    public static string Redact(string? text, ApiKey? key)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }
        string result = text!;
        if (key is not null)
        {
            string secret = key.Reveal();
            result = result.Replace(secret, Mask);
            string escaped = Uri.EscapeDataString(secret);
            if (escaped != secret)
            {
                result = result.Replace(escaped, Mask);
            }
        }
        return KeyLike.Replace(result, Mask);
    }
}
