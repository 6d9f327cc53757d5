using System;
using System.Text.Encodings.Web;

namespace FineTune.Datasets;

/// <summary>
/// Escapes only what JSON requires (quote, backslash, control characters and lone
/// surrogates), so non-ASCII text such as <c>é</c>, <c>日本</c> or emoji is written as UTF-8
/// instead of <c>\u</c> escapes. HTML-sensitive characters are not escaped: the output is
/// a data file, never embedded in a web page.
/// </summary>
internal sealed class MinimalJsonEncoder : JavaScriptEncoder
{
    public static readonly MinimalJsonEncoder Instance = new();

    private MinimalJsonEncoder()
    {
    }

    public override int MaxOutputCharactersPerInputCharacter => 12; // a surrogate pair as two \uXXXX

    public override bool WillEncode(int unicodeScalar) =>
        unicodeScalar < 0x20 || unicodeScalar == '"' || unicodeScalar == '\\' || (unicodeScalar >= 0xD800 && unicodeScalar <= 0xDFFF);

    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength)
    {
        for (int i = 0; i < textLength; i++)
        {
            char c = text[i];
            if (c < 0x20 || c == '"' || c == '\\')
            {
                return i;
            }
            if (char.IsSurrogate(c))
            {
                if (char.IsHighSurrogate(c) && i + 1 < textLength && char.IsLowSurrogate(text[i + 1]))
                {
                    i++;
                    continue;
                }
                return i;
            }
        }
        return -1;
    }

    public override int FindFirstCharacterToEncodeUtf8(ReadOnlySpan<byte> utf8Text)
    {
        for (int i = 0; i < utf8Text.Length; i++)
        {
            byte b = utf8Text[i];
            if (b < 0x20 || b == (byte)'"' || b == (byte)'\\')
            {
                return i;
            }
        }
        return -1;
    }

    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        string escaped = EscapeOf(unicodeScalar);
        if (escaped.Length > bufferLength)
        {
            numberOfCharactersWritten = 0;
            return false;
        }
        for (int i = 0; i < escaped.Length; i++)
        {
            buffer[i] = escaped[i];
        }
        numberOfCharactersWritten = escaped.Length;
        return true;
    }

    /// <summary>
    /// <paramref name="text"/> as a quoted JSON string in UTF-8, escaped as this encoder
    /// escapes it (for strings too long for Utf8JsonWriter). Lone surrogates must have been
    /// rejected by the caller.
    /// </summary>
    internal static byte[] QuoteUtf8(string text)
    {
        long extra = 0;
        foreach (char c in text)
        {
            if (NeedsEscape(c))
            {
                extra += EscapeOf(c).Length - 1;
            }
        }
        var utf8 = new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true);
        byte[] result = new byte[checked(utf8.GetByteCount(text) + extra + 2)];
        int position = 0;
        result[position++] = (byte)'"';
        int run = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (!NeedsEscape(c))
            {
                continue;
            }
            position += utf8.GetBytes(text, run, i - run, result, position);
            foreach (char e in EscapeOf(c))
            {
                result[position++] = (byte)e;
            }
            run = i + 1;
        }
        position += utf8.GetBytes(text, run, text.Length - run, result, position);
        result[position] = (byte)'"';
        return result;
    }

    private static bool NeedsEscape(char c) => c < 0x20 || c == '"' || c == '\\';

    /// <summary>How this encoder writes a character it escapes: the short form where JSON has one, else \uXXXX.</summary>
    private static string EscapeOf(int scalar) => scalar switch
    {
        '"' => "\\\"",
        '\\' => "\\\\",
        '\n' => "\\n",
        '\r' => "\\r",
        '\t' => "\\t",
        '\b' => "\\b",
        '\f' => "\\f",
        _ when scalar > 0xFFFF => Surrogates(scalar),
        _ => "\\u" + scalar.ToString("x4", System.Globalization.CultureInfo.InvariantCulture),
    };

    private static string Surrogates(int scalar)
    {
        // Never asked for by WillEncode; kept for completeness of the encoder contract.
        string pair = char.ConvertFromUtf32(scalar);
        return pair;
    }
}
