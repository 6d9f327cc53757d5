using System.Text;

namespace FineTune;

/// <summary>
/// Makes text safe to show in a terminal or a log: control characters (ESC and the OSC/CSI
/// sequences it starts, BEL, C1 controls, carriage returns), line and paragraph separators
/// and bidirectional overrides, which data or a server can carry, become visible
/// <c>\u001B</c>-style escapes instead of acting on the console.
/// </summary>
public static class DisplayText
{
    /// <summary>Messages longer than this lose their middle (the start and the advice at the end stay).</summary>
    public const int MaxMessageLength = 2000;

    /// <summary>
    /// Escapes every character that acts on a terminal. With <paramref name="keepLineBreaks"/>,
    /// <c>\n</c> and <c>\r\n</c> stay (for messages built of several lines on purpose).
    /// </summary>
    public static string Escape(string? text, bool keepLineBreaks = false)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }
        int first = IndexOfUnsafe(text!, keepLineBreaks);
        if (first < 0)
        {
            return text!;
        }
        var escaped = new StringBuilder(text!.Length + 16);
        escaped.Append(text, 0, first);
        for (int i = first; i < text.Length; i++)
        {
            char c = text[i];
            if (IsUnsafe(text, i, keepLineBreaks))
            {
                escaped.Append("\\u").Append(((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                escaped.Append(c);
            }
        }
        return escaped.ToString();
    }

    /// <summary>
    /// <see cref="Escape"/> on one line of text, and when it is longer than
    /// <see cref="MaxMessageLength"/>, its middle replaced by an ellipsis.
    /// </summary>
    public static string EscapeLine(string? text)
    {
        string escaped = Escape(text);
        if (escaped.Length <= MaxMessageLength)
        {
            return escaped;
        }
        int head = MaxMessageLength * 2 / 3;
        int tail = MaxMessageLength - head - 1;
        return escaped.Substring(0, head) + "\u2026" + escaped.Substring(escaped.Length - tail);
    }

    private static int IndexOfUnsafe(string text, bool keepLineBreaks)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (IsUnsafe(text, i, keepLineBreaks))
            {
                return i;
            }
        }
        return -1;
    }

    private static bool IsUnsafe(string text, int index, bool keepLineBreaks)
    {
        char c = text[index];
        if (c >= ' ' && c < '\u007F')
        {
            return false;
        }
        if (keepLineBreaks && (c == '\n' || (c == '\r' && index + 1 < text.Length && text[index + 1] == '\n')))
        {
            return false;
        }
        return char.IsControl(c)                      // C0, DEL, C1 (CSI U+009B, OSC U+009D ...)
            || c == '\u2028' || c == '\u2029'          // line and paragraph separators
            || (c >= '\u202A' && c <= '\u202E')        // bidirectional embeddings and overrides
            || (c >= '\u2066' && c <= '\u2069');       // bidirectional isolates
    }
}
