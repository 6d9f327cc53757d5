using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace FineTune.Evaluation;

/// <summary>
/// How close an answer is to the reference: exact match once white space and case are
/// normalised, and token-level F1 (the harmonic mean of the share of the answer's words found
/// in the reference and the share of the reference's words found in the answer).
/// </summary>
public static class AnswerScores
{
    /// <summary>Runs of white space become one space, the ends are trimmed, letters are lower case (invariant).</summary>
    public static string Normalize(string text)
    {
        var normal = new StringBuilder(text.Length);
        bool pendingSpace = false;
        foreach (char c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = normal.Length > 0;
                continue;
            }
            if (pendingSpace)
            {
                normal.Append(' ');
                pendingSpace = false;
            }
            normal.Append(char.ToLowerInvariant(c));
        }
        return normal.ToString();
    }

    public static bool ExactMatch(string answer, string reference) =>
        string.Equals(Normalize(answer), Normalize(reference), StringComparison.Ordinal);

    /// <summary>
    /// Token-level F1 in [0, 1]. Words are runs of letters, digits and combining marks, compared
    /// in lower case; punctuation separates words and does not count. Two texts without words
    /// score 1, one without words scores 0.
    /// </summary>
    public static double TokenF1(string answer, string reference)
    {
        List<string> answerWords = Words(answer);
        List<string> referenceWords = Words(reference);
        if (answerWords.Count == 0 || referenceWords.Count == 0)
        {
            return answerWords.Count == referenceWords.Count ? 1.0 : 0.0;
        }
        var remaining = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string word in referenceWords)
        {
            remaining[word] = remaining.TryGetValue(word, out int n) ? n + 1 : 1;
        }
        int common = 0;
        foreach (string word in answerWords)
        {
            if (remaining.TryGetValue(word, out int n) && n > 0)
            {
                remaining[word] = n - 1;
                common++;
            }
        }
        if (common == 0)
        {
            return 0.0;
        }
        double precision = (double)common / answerWords.Count;
        double recall = (double)common / referenceWords.Count;
        return 2 * precision * recall / (precision + recall);
    }

    internal static List<string> Words(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        for (int i = 0; i < text.Length; i++)
        {
            if (IsWordChar(text, i))
            {
                word.Append(char.ToLowerInvariant(text[i]));
                if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    word.Append(text[++i]);
                }
            }
            else if (word.Length > 0)
            {
                words.Add(word.ToString());
                word.Clear();
            }
        }
        if (word.Length > 0)
        {
            words.Add(word.ToString());
        }
        return words;
    }

    private static bool IsWordChar(string text, int index) => CharUnicodeInfo.GetUnicodeCategory(text, index) switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
            or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber
            or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark => true,
        _ => false,
    };
}
