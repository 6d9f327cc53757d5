using System.Globalization;
using System.Text;

namespace FineTune.Service;

/// <summary>
/// Text the service controls (error fields, headers, reason phrases, names, statuses), made fit
/// to appear in a message: secrets masked (<see cref="SecretRedactor"/>), control and
/// direction-changing characters shown as <c>\uXXXX</c> so they cannot move the cursor, recolour
/// or retitle a terminal, or split a log line, and the length bounded.
/// </summary>
internal static class ServiceText
{
    /// <summary>The longest piece of service text quoted in one message.</summary>
    public const int MaxLength = 2000;

    /// <summary>A piece of service text: masked, escaped and cut to <paramref name="maxLength"/> characters.</summary>
    public static string? Clean(string? text, int maxLength = MaxLength)
    {
        if (text is null)
        {
            return null;
        }
        string scrubbed = Scrub(text);
        return scrubbed.Length <= maxLength ? scrubbed : scrubbed.Substring(0, maxLength) + "...";
    }

    /// <summary>A whole message that quotes service text: masked and escaped, not shortened.</summary>
    public static string Scrub(string text) => Escape(SecretRedactor.Redact(text));

    /// <summary>The text with every control character escaped; nothing else changes.</summary>
    public static string Escape(string text)
    {
        int first = 0;
        while (first < text.Length && !NeedsEscape(text[first]))
        {
            first++;
        }
        if (first == text.Length)
        {
            return text;
        }
        var result = new StringBuilder(text.Length + 16).Append(text, 0, first);
        for (int i = first; i < text.Length; i++)
        {
            char c = text[i];
            switch (c)
            {
                case '\n':
                    result.Append("\\n");
                    break;
                case '\r':
                    result.Append("\\r");
                    break;
                case '\t':
                    result.Append("\\t");
                    break;
                default:
                    if (NeedsEscape(c))
                    {
                        result.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        result.Append(c);
                    }
                    break;
            }
        }
        return result.ToString();
    }

    /// <summary>
    /// C0 and C1 controls and DEL, line and paragraph separators, and the bidirectional
    /// overrides and isolates that reorder what a terminal shows.
    /// </summary>
    internal static bool NeedsEscape(char c) =>
        c < ' ' || (c >= '\u007F' && c <= '\u009F') || c == '\u2028' || c == '\u2029'
        || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069') || c == '\u200E' || c == '\u200F' || c == '\u061C';
}
