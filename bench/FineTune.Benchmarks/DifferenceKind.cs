using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace FineTune.Benchmarks;

/// <summary>
/// Names what sits where a tokenizer's ids first leave tiktoken's, from the text at that spot:
/// the known traps of tiktoken ports, in this order, then "other".
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

    /// <summary>How close (in chars) special-token text must begin; twice this covers two astral code points.</summary>
    private const int Near = 2;

    private const int Before = 16;
    private const int After = 32;

    /// <summary>
    /// The kind of the difference that starts at char <paramref name="at"/>: special-token text
    /// that begins within a few chars of it, else what lies within two code points of it.
    /// </summary>
    public static string Classify(string text, int at, IReadOnlyList<string> specialTokens)
    {
        foreach (string special in specialTokens)
        {
            int from = Math.Max(0, at - special.Length);
            int found = text.IndexOf(special, from, Math.Min(text.Length, at + Near + special.Length) - from, StringComparison.Ordinal);
            if (found >= 0 && found <= at + Near)
            {
                return SpecialTokenText;
            }
        }
        (int start, int end) = Window(text, at, Near * 2, Near * 2 + 1);
        string near = text.Substring(start, end - start);
        bool astralLetterOrDigit = false, astralOther = false;
        for (int i = 0; i < near.Length; i++)
        {
            char c = near[i];
            if (char.IsHighSurrogate(c) && i + 1 < near.Length && char.IsLowSurrogate(near[i + 1]))
            {
                bool letterOrDigit = IsLetterOrDigit(char.GetUnicodeCategory(near, i));
                astralLetterOrDigit |= letterOrDigit;
                astralOther |= !letterOrDigit;
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return LoneSurrogate;
            }
        }
        if (near.Contains("'ſ", StringComparison.Ordinal) || near.Contains("'ﬅ", StringComparison.Ordinal))
        {
            return LongSContraction;
        }
        return astralLetterOrDigit ? AstralLetterOrDigit : astralOther ? AstralOther : Other;
    }

    /// <summary>
    /// The text around <paramref name="at"/>, escaped so that it prints on one line, with
    /// <see cref="Marker"/> where the ids start to differ.
    /// </summary>
    public static string Snippet(string text, int at)
    {
        (int start, int end) = Window(text, at, Before, After);
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

    private static (int Start, int End) Window(string text, int at, int before, int after)
    {
        int start = Math.Max(0, at - before);
        int end = Math.Min(text.Length, at + after);
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
