using System;
using System.Runtime.CompilerServices;

namespace FineTune.Tokens;

/// <summary>
/// o200k_base's pre-tokenization, equivalent to tiktoken's pattern
/// <c>[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?</c>
/// <c>|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?</c>
/// <c>|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+</c>.
/// </summary>
internal static class O200kPattern
{
    private const byte Cased = CharClass.Upper | CharClass.Lower;

    /// <summary>The end of the piece that starts at <paramref name="start"/> (which is inside the text).</summary>
    [MethodImpl(HotPath.Optimize)]
    public static int NextPieceEnd(ReadOnlySpan<char> text, int start)
    {
        byte cls = CharClass.At(text, start, out int length);
        bool prefix = PatternParts.IsLetterPrefix(cls) && start + length < text.Length;
        if ((cls & Cased) != 0 || prefix)
        {
            int end;
            if (prefix && (end = UpperThenLower(text, start + length)) > 0)
            {
                return end;
            }
            if ((cls & Cased) != 0 && (end = UpperThenLower(text, start)) > 0)
            {
                return end;
            }
            if (prefix && (end = UpperRun(text, start + length)) > 0)
            {
                return end;
            }
            if ((cls & Cased) != 0 && (end = UpperRun(text, start)) > 0)
            {
                return end;
            }
        }
        if ((cls & CharClass.Number) != 0)
        {
            return PatternParts.Digits(text, start, length);
        }
        int punctuation = PatternParts.Punctuation(text, start, cls, length, slashTrails: true);
        if (punctuation > 0)
        {
            return punctuation;
        }
        return PatternParts.WhiteSpace(text, start);
    }

    /// <summary>
    /// <c>[Upper]*[Lower]+</c> then an optional contraction. The greedy <c>[Upper]*</c> gives back
    /// code points that are in both classes (Lm, Lo, marks) when no lower follows it.
    /// </summary>
    [MethodImpl(HotPath.Optimize)]
    private static int UpperThenLower(ReadOnlySpan<char> text, int start)
    {
        int end = start;
        int lastBoth = -1;
        int cls = 0;
        while (end < text.Length)
        {
            cls = CharClass.At(text, end, out int length);
            if ((cls & CharClass.Upper) == 0)
            {
                break;
            }
            if ((cls & CharClass.Lower) != 0)
            {
                lastBoth = end;
            }
            end += length;
        }
        int lower;
        if (end < text.Length && (cls & CharClass.Lower) != 0)
        {
            lower = end;
        }
        else if (lastBoth >= 0)
        {
            lower = lastBoth;
        }
        else
        {
            return -1;
        }
        return OptionalContraction(text, LowerRun(text, lower));
    }

    /// <summary><c>[Upper]+[Lower]*</c> then an optional contraction.</summary>
    [MethodImpl(HotPath.Optimize)]
    private static int UpperRun(ReadOnlySpan<char> text, int start)
    {
        int end = start;
        while (end < text.Length && (CharClass.At(text, end, out int length) & CharClass.Upper) != 0)
        {
            end += length;
        }
        return end == start ? -1 : OptionalContraction(text, LowerRun(text, end));
    }

    [MethodImpl(HotPath.Optimize)]
    private static int LowerRun(ReadOnlySpan<char> text, int end)
    {
        while (end < text.Length && (CharClass.At(text, end, out int length) & CharClass.Lower) != 0)
        {
            end += length;
        }
        return end;
    }

    private static int OptionalContraction(ReadOnlySpan<char> text, int end)
    {
        int contraction = end < text.Length && text[end] == '\'' ? PatternParts.Contraction(text, end) : -1;
        return contraction > 0 ? contraction : end;
    }
}
