using System.Text;

namespace FineTune.Evaluation.Report;

/// <summary>
/// Writes text into HTML so that it can only ever be text: the five markup characters become
/// entities (also inside quoted attribute values), and characters HTML does not allow (C0/C1
/// controls other than tab and line ends, lone surrogates, non-characters) become U+FFFD.
/// </summary>
internal static class HtmlText
{
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }
        var escaped = new StringBuilder(text!.Length + 16);
        Append(escaped, text);
        return escaped.ToString();
    }

    private static void Append(StringBuilder escaped, string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            switch (c)
            {
                case '&': escaped.Append("&amp;"); continue;
                case '<': escaped.Append("&lt;"); continue;
                case '>': escaped.Append("&gt;"); continue;
                case '"': escaped.Append("&quot;"); continue;
                case '\'': escaped.Append("&#39;"); continue;
                case '\t':
                case '\n':
                    escaped.Append(c);
                    continue;
                case '\r':
                    continue;
            }
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                escaped.Append(c).Append(text[++i]);
            }
            else if (char.IsSurrogate(c) || c < ' ' || (c >= '\u007F' && c <= '\u009F') || (c >= '\uFDD0' && c <= '\uFDEF') || c >= '\uFFFE')
            {
                escaped.Append('\uFFFD');
            }
            else
            {
                escaped.Append(c);
            }
        }
    }
}
