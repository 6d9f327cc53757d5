using System;
using System.IO;
using System.IO.Compression;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace FineTune.Tokens;

/// <summary>
/// The character classes tiktoken's pre-tokenization patterns test, as bit flags over Unicode
/// code points (not UTF-16 code units, so letters and digits outside the BMP are classified
/// like the Rust regex crate does).
/// </summary>
internal static class CharClass
{
    /// <summary><c>\p{L}</c>: Lu, Ll, Lt, Lm, Lo.</summary>
    public const byte Letter = 1;

    /// <summary><c>\p{N}</c>: Nd, Nl, No.</summary>
    public const byte Number = 2;

    /// <summary><c>\s</c>: the Unicode White_Space property (as Rust's regex crate; includes U+0085, excludes U+FEFF).</summary>
    public const byte Space = 4;

    /// <summary><c>\r</c> or <c>\n</c>.</summary>
    public const byte NewLine = 8;

    /// <summary>o200k_base's <c>[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]</c>.</summary>
    public const byte Upper = 16;

    /// <summary>o200k_base's <c>[\p{Ll}\p{Lm}\p{Lo}\p{M}]</c>.</summary>
    public const byte Lower = 32;

    /// <summary>Anything that is neither a letter, a number nor white space (<c>[^\s\p{L}\p{N}]</c>).</summary>
    public const byte Other = 0;

    /// <summary>Code points in Unicode.</summary>
    internal const int CodePointCount = 0x110000;

    internal const string ResourceName = "FineTune.Tokens.charclass.deflate";

    /// <summary>
    /// The class of every code point, from the embedded table (generated from .NET 10's Unicode
    /// 16 data, which the tests check against tiktoken), so every runtime classifies alike:
    /// .NET 8 and .NET Framework carry older Unicode versions.
    /// </summary>
    private static readonly byte[] s_table = LoadTable();

    /// <summary>The embedded table, indexed by code point.</summary>
    internal static ReadOnlySpan<byte> Table => s_table;

    /// <summary>
    /// The class of the code point at <paramref name="index"/> and its length in UTF-16 code
    /// units. A lone surrogate is classified as U+FFFD (a symbol), which is what tiktoken
    /// receives for it: JavaScript's and Python's bindings replace it before the Rust core runs.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static byte At(ReadOnlySpan<char> text, int index, out int length)
    {
        char c = text[index];
        if (c < 0xD800 || c > 0xDFFF)
        {
            length = 1;
            return s_table[c];
        }
        return Astral(text, index, out length);
    }

    [MethodImpl(HotPath.Optimize)]
    private static byte Astral(ReadOnlySpan<char> text, int index, out int length)
    {
        char high = text[index];
        if (high <= 0xDBFF && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]))
        {
            length = 2;
            return s_table[char.ConvertToUtf32(high, text[index + 1])];
        }
        length = 1;
        return Other;
    }

    [MethodImpl(HotPath.Optimize)]
    private static byte[] LoadTable()
    {
        using Stream packed = typeof(CharClass).GetTypeInfo().Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The engine assembly lacks its embedded resource '{ResourceName}'.");
        using var inflated = new DeflateStream(packed, CompressionMode.Decompress);
        var table = new byte[CodePointCount];
        int filled = 0;
        int read;
        while (filled < table.Length && (read = inflated.Read(table, filled, table.Length - filled)) > 0)
        {
            filled += read;
        }
        if (filled != table.Length)
        {
            throw new InvalidDataException($"The embedded character class table '{ResourceName}' is damaged.");
        }
        return table;
    }
}
