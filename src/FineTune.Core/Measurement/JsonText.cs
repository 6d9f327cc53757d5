using System;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace FineTune.Measurement;

/// <summary>Reads JSON strings the way Python's json module does, lone surrogates included.</summary>
internal static class JsonText
{
    /// <summary>
    /// The string value. System.Text.Json refuses escaped lone surrogates (<c>"\ud800"</c>), which
    /// Python's json accepts; such strings are decoded here keeping the lone surrogate, which the
    /// tokenizer then counts as U+FFFD exactly as tiktoken does.
    /// </summary>
    public static string Of(JsonElement element)
    {
        try
        {
            return element.GetString() ?? "";
        }
        catch (InvalidOperationException)
        {
            return Unescape(element.GetRawText());
        }
    }

    private static string Unescape(string raw)
    {
        var text = new StringBuilder(raw.Length);
        for (int i = 1; i < raw.Length - 1; i++)
        {
            char c = raw[i];
            if (c != '\\')
            {
                text.Append(c);
                continue;
            }
            char escaped = raw[++i];
            switch (escaped)
            {
                case 'b': text.Append('\b'); break;
                case 'f': text.Append('\f'); break;
                case 'n': text.Append('\n'); break;
                case 'r': text.Append('\r'); break;
                case 't': text.Append('\t'); break;
                case 'u':
                    text.Append((char)int.Parse(raw.Substring(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    i += 4;
                    break;
                default: text.Append(escaped); break;
            }
        }
        return text.ToString();
    }
}
