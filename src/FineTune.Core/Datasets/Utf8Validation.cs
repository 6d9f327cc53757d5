using System;
using System.Runtime.CompilerServices;

namespace FineTune.Datasets;

/// <summary>Finds invalid UTF-8 and turns byte positions into 1-based character columns.</summary>
public static class Utf8Validation
{
    /// <summary>0-based index of the first byte of the first invalid UTF-8 sequence, or -1 when valid.</summary>
    [MethodImpl(HotPath.Optimize)]
    public static int IndexOfInvalid(ReadOnlySpan<byte> bytes)
    {
#if NET8_0_OR_GREATER
        if (System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return -1;
        }
#endif
        int i = 0;
        // ASCII fast path: 8 bytes at a time.
        while (i + 8 <= bytes.Length)
        {
            ulong chunk = System.Runtime.InteropServices.MemoryMarshal.Read<ulong>(bytes.Slice(i));
            if ((chunk & 0x8080808080808080UL) != 0)
            {
                break;
            }
            i += 8;
        }
        while (i < bytes.Length)
        {
            byte b = bytes[i];
            if (b < 0x80)
            {
                i++;
                continue;
            }
            int length;
            int min;
            if ((b & 0xE0) == 0xC0) { length = 2; min = 0x80; }
            else if ((b & 0xF0) == 0xE0) { length = 3; min = 0x800; }
            else if ((b & 0xF8) == 0xF0) { length = 4; min = 0x10000; }
            else { return i; }
            if (i + length > bytes.Length)
            {
                return i;
            }
            int scalar = b & (0xFF >> (length + 1));
            for (int k = 1; k < length; k++)
            {
                byte c = bytes[i + k];
                if ((c & 0xC0) != 0x80)
                {
                    return i;
                }
                scalar = (scalar << 6) | (c & 0x3F);
            }
            if (scalar < min || scalar > 0x10FFFF || (scalar >= 0xD800 && scalar <= 0xDFFF))
            {
                return i;
            }
            i += length;
        }
        return -1;
    }

    /// <summary>1-based column of byte <paramref name="byteIndex"/>: the number of characters before it plus one.</summary>
    public static long ColumnOf(ReadOnlySpan<byte> line, long byteIndex)
    {
        long column = 1;
        long end = Math.Min(byteIndex, line.Length);
        for (int i = 0; i < end; i++)
        {
            if ((line[i] & 0xC0) != 0x80)
            {
                column++;
            }
        }
        return column;
    }
}
