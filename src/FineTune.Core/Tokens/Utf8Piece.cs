using System;
using System.Runtime.CompilerServices;

namespace FineTune.Tokens;

/// <summary>
/// UTF-16 to UTF-8 for one piece, with each lone surrogate written as U+FFFD (EF BF BD): the
/// bytes tiktoken's core sees when JavaScript or Python hands it such a string.
/// </summary>
internal static class Utf8Piece
{
    /// <summary>Most UTF-8 bytes a piece of <paramref name="chars"/> UTF-16 units can take.</summary>
    public static int MaxBytes(int chars) => chars * 3;

    [MethodImpl(HotPath.Optimize)]
    public static int Write(ReadOnlySpan<char> text, Span<byte> destination)
    {
        int written = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c < 0x80)
            {
                destination[written++] = (byte)c;
            }
            else if (c < 0x800)
            {
                destination[written++] = (byte)(0xC0 | (c >> 6));
                destination[written++] = (byte)(0x80 | (c & 0x3F));
            }
            else if (c < 0xD800 || c > 0xDFFF)
            {
                destination[written++] = (byte)(0xE0 | (c >> 12));
                destination[written++] = (byte)(0x80 | ((c >> 6) & 0x3F));
                destination[written++] = (byte)(0x80 | (c & 0x3F));
            }
            else if (c <= 0xDBFF && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                int codePoint = char.ConvertToUtf32(c, text[++i]);
                destination[written++] = (byte)(0xF0 | (codePoint >> 18));
                destination[written++] = (byte)(0x80 | ((codePoint >> 12) & 0x3F));
                destination[written++] = (byte)(0x80 | ((codePoint >> 6) & 0x3F));
                destination[written++] = (byte)(0x80 | (codePoint & 0x3F));
            }
            else
            {
                destination[written++] = 0xEF;
                destination[written++] = 0xBF;
                destination[written++] = 0xBD;
            }
        }
        return written;
    }
}
