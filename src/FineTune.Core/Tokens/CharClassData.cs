using System.Globalization;

namespace FineTune.Tokens;

/// <summary>
/// Builds the character class table from the running .NET's Unicode data. The engine embeds the
/// table computed on .NET 10 (Unicode 16, checked against tiktoken by the tests) instead of
/// asking the runtime, whose Unicode version differs between .NET 8, .NET 10 and .NET Framework.
/// </summary>
internal static class CharClassData
{
    /// <summary>
    /// The table as the running .NET's Unicode data gives it; the embedded table is this, computed
    /// on .NET 10 (see the tokenizer tests, which regenerate it on request).
    /// </summary>
    public static byte[] Compute()
    {
        var table = new byte[CharClass.CodePointCount];
        for (int codePoint = 0; codePoint < CharClass.CodePointCount; codePoint++)
        {
            if (codePoint is >= 0xD800 and <= 0xDFFF)
            {
                continue;
            }
            table[codePoint] = FromCategory(CharUnicodeInfo.GetUnicodeCategory(char.ConvertFromUtf32(codePoint), 0));
        }
        foreach (char space in WhiteSpace)
        {
            table[space] = CharClass.Space;
        }
        table['\r'] = CharClass.Space | CharClass.NewLine;
        table['\n'] = CharClass.Space | CharClass.NewLine;
        return table;
    }

    /// <summary>Unicode's White_Space property; every member is in the BMP.</summary>
    private const string WhiteSpace =
        "\u0009\u000A\u000B\u000C\u000D\u0020\u0085\u00A0\u1680" +
        "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A" +
        "\u2028\u2029\u202F\u205F\u3000";

    private static byte FromCategory(UnicodeCategory category) => category switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.TitlecaseLetter => CharClass.Letter | CharClass.Upper,
        UnicodeCategory.LowercaseLetter => CharClass.Letter | CharClass.Lower,
        UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => CharClass.Letter | CharClass.Upper | CharClass.Lower,
        UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark => CharClass.Upper | CharClass.Lower,
        UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => CharClass.Number,
        _ => CharClass.Other,
    };
}
