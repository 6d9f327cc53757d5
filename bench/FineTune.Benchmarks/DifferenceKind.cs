using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace FineTune.Benchmarks;

/// <summary>
/// Names what sits where a tokenizer's ids first leave tiktoken's, from the text around that
/// spot: the known traps of tiktoken ports first, in this order, then "other".
/// </summary>
internal static class DifferenceKind
{
    public const string SpecialTokenText = "special-token text";
    public const string LoneSurrogate = "lone surrogate";
    public const string LongSContraction = "'ſ contraction";
    public const string AstralLetterOrDigit = "letter/digit outside the BMP";
    public const string AstralOther = "other character outside the BMP";
    public const string Other = "other";
    public const string Exception = "exception";

    /// <summary>Marks the spot in a snippet.</summary>
    public const char Marker = '▸';

    private const int Before = 16;
    private const int After = 32;

    /// <summary>The kind of the difference that starts at <paramref name="at"/> (a char index).</summary>
    public static string Classify(string text, int at, IReadOnlyList<string> specialTokens)
    {
        (int start, int end) = Window(text, at);
        string window = text.Substring(start, end - start);
        foreach (string special in specialTokens)
        {
            if (window.Contains(special, StringComparison.Ordinal))
            {
                return SpecialTokenText;
            }
        }
        bool astralLetterOrDigit = false, astralOther = false;
        for (int i = 0; i < window.Length; i++)
        {
            char c = window[i];
            if (char.IsHighSurrogate(c) && i + 1 < window.Length && char.IsLowSurrogate(window[i + 1]))
            {
                bool letterOrDigit = IsLetterOrDigit(char.GetUnicodeCategory(window, i));
                astralLetterOrDigit |= letterOrDigit;
                astralOther |= !letterOrDigit;
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return LoneSurrogate;
            }
            else if (c == '\'' && i + 1 < window.Length && window[i + 1] is 'ſ' or 'ﬅ')
            {
                return LongSContraction;
            }
        }
        return astralLetterOrDigit ? AstralLetterOrDigit : astralOther ? AstralOther : Other;
    }

    /// <summary>
    /// The text around <paramref name="at"/>, escaped so that it prints on one line, with
    /// <see cref="Marker"/> where the ids start to differ.
    /// </summary>
    public static string Snippet(string text, int at)
    {
        (int start, int end) = Window(text, at);
        var snippet = new StringBuilder();
        for (int i = start; i < end; i++)
        {
            if (i == at)
            {
                snippet.Append(Marker);
            }
            char c = text[i];
            bool pair = char.IsHighSurrogate(c) && i + 1 < end && char.IsLowSurrogate(text[i + 1]);
            if (pair)
            {
                snippet.Append(c).Append(text[++i]);
            }
            else if (char.IsSurrogate(c) || char.IsControl(c) || c == '\\')
            {
                snippet.Append(c switch { '\n' => "\\n", '\r' => "\\r", '\t' => "\\t", '\\' => "\\\\", _ => $"\\u{(int)c:X4}" });
            }
            else
            {
                snippet.Append(c);
            }
        }
        if (at >= end)
        {
            snippet.Append(Marker);
        }
        return snippet.ToString();
    }

    private static (int Start, int End) Window(string text, int at)
    {
        int start = Math.Max(0, at - Before);
        int end = Math.Min(text.Length, at + After);
        // Never cut a surrogate pair, so a pair is not mistaken for a lone surrogate.
        if (start > 0 && char.IsLowSurrogate(text[start]) && char.IsHighSurrogate(text[start - 1]))
        {
            start--;
        }
        if (end < text.Length && char.IsLowSurrogate(text[end]) && char.IsHighSurrogate(text[end - 1]))
        {
            end++;
        }
        return (start, end);
    }

    private static bool IsLetterOrDigit(UnicodeCategory category) => category is
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
        or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
        or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber;
}
