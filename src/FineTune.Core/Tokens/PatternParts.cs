using System;
using System.Runtime.CompilerServices;

namespace FineTune.Tokens;

/// <summary>
/// The alternatives cl100k_base's and o200k_base's pre-tokenization patterns share, written
/// by hand over code points with the backtracking outcome of tiktoken's fancy-regex engine.
/// Each returns the end (UTF-16 index) of the match starting at <c>start</c>, or -1.
/// </summary>
internal static class PatternParts
{
    /// <summary>
    /// <c>(?i:'s|'t|'re|'ve|'m|'ll|'d)</c> at <paramref name="start"/>. Case-insensitive in the
    /// Unicode sense, so the long s (U+017F) matches <c>s</c> as it does in the Rust regex crate.
    /// </summary>
    public static int Contraction(ReadOnlySpan<char> text, int start)
    {
        if (start + 1 >= text.Length || text[start] != '\'')
        {
            return -1;
        }
        char first = text[start + 1];
        switch (first)
        {
            case 's' or 'S' or '\u017F' or 't' or 'T' or 'm' or 'M' or 'd' or 'D':
                return start + 2;
            case 'r' or 'R' or 'v' or 'V':
                return start + 2 < text.Length && text[start + 2] is 'e' or 'E' ? start + 3 : -1;
            case 'l' or 'L':
                return start + 2 < text.Length && text[start + 2] is 'l' or 'L' ? start + 3 : -1;
            default:
                return -1;
        }
    }

    /// <summary><c>\p{N}{1,3}</c> given that the code point at <paramref name="start"/> (of <paramref name="length"/> units) is a number.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Digits(ReadOnlySpan<char> text, int start, int length)
    {
        int end = start + length;
        for (int count = 1; count < 3 && end < text.Length; count++)
        {
            if ((CharClass.At(text, end, out int next) & CharClass.Number) == 0)
            {
                break;
            }
            end += next;
        }
        return end;
    }

    /// <summary>
    /// <c> ?[^\s\p{L}\p{N}]+</c> followed by <c>[\r\n]*</c> (cl100k_base) or <c>[\r\n/]*</c>
    /// (o200k_base), given the class of the code point at <paramref name="start"/>.
    /// </summary>
    [MethodImpl(HotPath.Optimize)]
    public static int Punctuation(ReadOnlySpan<char> text, int start, byte cls, int length, bool slashTrails)
    {
        int end;
        if (IsOther(cls))
        {
            end = start + length;
        }
        else if (text[start] == ' ' && start + 1 < text.Length && IsOther(CharClass.At(text, start + 1, out int next)))
        {
            end = start + 1 + next;
        }
        else
        {
            return -1;
        }
        while (end < text.Length && IsOther(CharClass.At(text, end, out int next)))
        {
            end += next;
        }
        while (end < text.Length && (text[end] is '\r' or '\n' || (slashTrails && text[end] == '/')))
        {
            end++;
        }
        return end;
    }

    /// <summary>
    /// <c>\s*[\r\n]+|\s+(?!\S)|\s+</c> given that the code point at <paramref name="start"/> is
    /// white space (always a single UTF-16 unit: every White_Space code point is in the BMP).
    /// </summary>
    [MethodImpl(HotPath.Optimize)]
    public static int WhiteSpace(ReadOnlySpan<char> text, int start)
    {
        int end = start;
        int lastNewLine = -1;
        while (end < text.Length)
        {
            byte cls = CharClass.At(text, end, out _);
            if ((cls & CharClass.Space) == 0)
            {
                break;
            }
            if ((cls & CharClass.NewLine) != 0)
            {
                lastNewLine = end;
            }
            end++;
        }
        if (lastNewLine >= 0)
        {
            // \s*[\r\n]+ : the greedy \s* backs off to the last line break of the run.
            return lastNewLine + 1;
        }
        if (end == text.Length || end - start == 1)
        {
            // \s+(?!\S) at the end of the text, or a single space before a non-space (\s+).
            return end;
        }
        // \s+(?!\S): leave the last white space to start the next piece.
        return end - 1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsOther(byte cls) => (cls & (CharClass.Letter | CharClass.Number | CharClass.Space)) == 0;

    /// <summary>
    /// May the code point start a piece as the optional <c>[^\r\n\p{L}\p{N}]</c> before letters?
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsLetterPrefix(byte cls) => (cls & (CharClass.Letter | CharClass.Number | CharClass.NewLine)) == 0;
}
