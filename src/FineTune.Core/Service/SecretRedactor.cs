using System;
using System.Collections.Generic;
using System.Net;
using System.Text.RegularExpressions;
using System.Threading;

namespace FineTune.Service;

/// <summary>
/// The one place secrets are removed from text. Whatever authenticates a request — an API key,
/// a bearer token — is registered here while it is in use (<see cref="Register"/>), and every
/// text that can reach a user passes <see cref="Redact"/>: error messages and their fields
/// (<see cref="FineTuneException"/> and <see cref="ServiceException"/> apply it as they are
/// made), the verbose log (<see cref="ServiceClient.Log"/>) and the service's answers
/// (<see cref="ServiceResponse"/>). A registered secret is masked as written and in every
/// URL-encoded form; key- and token-shaped text the service may echo is masked too.
/// </summary>
internal static class SecretRedactor
{
    public const string Mask = "***";

    /// <summary>
    /// Secrets shorter than this are not registered. No service issues keys or tokens this short
    /// (placeholders such as <c>EMPTY</c> for keyless local hosts are), and masking one wherever it
    /// occurs would garble ordinary words (a key <c>k</c> turns <c>helpdesk</c> into
    /// <c>helpdes***</c> in every message, file name and answer of the session) while the masks
    /// themselves would spell the secret out.
    /// </summary>
    public const int MinimumSecretLength = 8;

    // sk-... keys (long, or partly starred as services echo them), "****abcd" key endings,
    // Authorization values and JWTs (Entra ID tokens).
    private static readonly Regex CredentialLike = new(
        @"\bsk-[A-Za-z0-9_\-]*\*{3,}[A-Za-z0-9_\-\*]*|\bsk-[A-Za-z0-9_\-]{16,}|\*{4,}[A-Za-z0-9_\-]{1,8}|\b(?<scheme>Bearer)\s+[A-Za-z0-9\-._~+/]{16,}=*|\beyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]*",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    private static readonly object Gate = new();
    private static readonly Dictionary<string, int> Registered = new(StringComparer.Ordinal);
    private static string[] _forms = Array.Empty<string>();

    /// <summary>
    /// Masks <paramref name="secret"/> (and its URL-encoded forms) in all redacted text until the
    /// returned registration is disposed. Registrations are counted, so two connections with the
    /// same key each hold their own. A secret shorter than <see cref="MinimumSecretLength"/> is not
    /// registered.
    /// </summary>
    public static IDisposable Register(string secret)
    {
        if (secret is null || secret.Length < MinimumSecretLength)
        {
            return Registration.None;
        }
        lock (Gate)
        {
            Registered[secret] = Registered.TryGetValue(secret, out int count) ? count + 1 : 1;
            Rebuild();
        }
        return new Registration(secret);
    }

    /// <summary>
    /// The text with every registered secret, and anything shaped like a key or a token, replaced
    /// by <see cref="Mask"/>.
    /// </summary>
    public static string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }
        return CredentialLike.Replace(RedactRegistered(text!), match =>
            match.Groups["scheme"].Success ? match.Groups["scheme"].Value + " " + Mask : Mask);
    }

    /// <summary>
    /// The text with only the registered secrets masked: for data (file names, messages of a
    /// chat reply) where a key-shaped word is more likely a name than a credential.
    /// </summary>
    public static string RedactRegistered(string text)
    {
        string[] forms = Volatile.Read(ref _forms);
        string result = text;
        foreach (string form in forms)
        {
            if (result.IndexOf(form, StringComparison.Ordinal) >= 0)
            {
                result = result.Replace(form, Mask);
            }
        }
        return result;
    }

    /// <summary>True when the text holds a registered secret in any of its forms.</summary>
    internal static bool ContainsRegistered(string text)
    {
        foreach (string form in Volatile.Read(ref _forms))
        {
            if (text.IndexOf(form, StringComparison.Ordinal) >= 0)
            {
                return true;
            }
        }
        return false;
    }

    private static void Unregister(string secret)
    {
        lock (Gate)
        {
            if (Registered.TryGetValue(secret, out int count))
            {
                if (count > 1)
                {
                    Registered[secret] = count - 1;
                }
                else
                {
                    Registered.Remove(secret);
                }
                Rebuild();
            }
        }
    }

    /// <summary>Each secret as written, percent-encoded (upper and lower hex) and form-encoded; longest first so no form leaves a piece of a longer one.</summary>
    private static void Rebuild()
    {
        var forms = new HashSet<string>(StringComparer.Ordinal);
        foreach (string secret in Registered.Keys)
        {
            forms.Add(secret);
            string escaped = Uri.EscapeDataString(secret);
            forms.Add(escaped);
            forms.Add(Regex.Replace(escaped, "%[0-9A-F]{2}", m => m.Value.ToLowerInvariant()));
            forms.Add(WebUtility.UrlEncode(secret));
        }
        var ordered = new List<string>(forms);
        ordered.Sort((a, b) => b.Length.CompareTo(a.Length));
        Volatile.Write(ref _forms, ordered.ToArray());
    }

    private sealed class Registration : IDisposable
    {
        public static readonly IDisposable None = new Registration(null);

        private string? _secret;

        public Registration(string? secret) => _secret = secret;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _secret, null) is { } secret)
            {
                Unregister(secret);
            }
        }
    }
}
