using System;
using System.Globalization;
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

    private static readonly byte[] s_bmp = BuildBmpTable();

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
            return s_bmp[c];
        }
        return Astral(text, index, out length);
    }

    private static byte Astral(ReadOnlySpan<char> text, int index, out int length)
    {
        char high = text[index];
        if (high <= 0xDBFF && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]))
        {
            length = 2;
            return FromCategory(CategoryOf(char.ConvertToUtf32(high, text[index + 1])));
        }
        length = 1;
        return Other;
    }

    private static UnicodeCategory CategoryOf(int codePoint)
    {
#if NET8_0_OR_GREATER
        return CharUnicodeInfo.GetUnicodeCategory(codePoint);
#else
        return CharUnicodeInfo.GetUnicodeCategory(char.ConvertFromUtf32(codePoint), 0);
#endif
    }

    private static byte[] BuildBmpTable()
    {
        var table = new byte[0x10000];
        for (int c = 0; c < table.Length; c++)
        {
            table[c] = c is >= 0xD800 and <= 0xDFFF ? Other : FromCategory(CharUnicodeInfo.GetUnicodeCategory((char)c));
        }
        foreach (char space in WhiteSpace)
        {
            table[space] = Space;
        }
        table['\r'] = Space | NewLine;
        table['\n'] = Space | NewLine;
        return table;
    }

    /// <summary>Unicode's White_Space property; every member is in the BMP.</summary>
    private const string WhiteSpace =
        "\u0009\u000A\u000B\u000C\u000D\u0020\u0085\u00A0\u1680" +
        "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A" +
        "\u2028\u2029\u202F\u205F\u3000";

    private static byte FromCategory(UnicodeCategory category) => category switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.TitlecaseLetter => Letter | Upper,
        UnicodeCategory.LowercaseLetter => Letter | Lower,
        UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => Letter | Upper | Lower,
        UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark => Upper | Lower,
        UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => Number,
        _ => Other,
    };
}
