using System;
using System.Runtime.CompilerServices;

namespace FineTune.Tokens;

/// <summary>
/// cl100k_base's pre-tokenization, equivalent to tiktoken's pattern
/// <c>(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+</c>.
/// </summary>
internal static class Cl100kPattern
{
    /// <summary>The end of the piece that starts at <paramref name="start"/> (which is inside the text).</summary>
    [MethodImpl(HotPath.Optimize)]
    public static int NextPieceEnd(ReadOnlySpan<char> text, int start)
    {
        byte cls = CharClass.At(text, start, out int length);
        if ((cls & CharClass.Letter) != 0)
        {
            return Letters(text, start + length);
        }
        if (text[start] == '\'')
        {
            int contraction = PatternParts.Contraction(text, start);
            if (contraction > 0)
            {
                return contraction;
            }
        }
        if (PatternParts.IsLetterPrefix(cls) && start + length < text.Length
            && (CharClass.At(text, start + length, out _) & CharClass.Letter) != 0)
        {
            return Letters(text, start + length);
        }
        if ((cls & CharClass.Number) != 0)
        {
            return PatternParts.Digits(text, start, length);
        }
        int punctuation = PatternParts.Punctuation(text, start, cls, length, slashTrails: false);
        if (punctuation > 0)
        {
            return punctuation;
        }
        return PatternParts.WhiteSpace(text, start);
    }

    [MethodImpl(HotPath.Optimize)]
    private static int Letters(ReadOnlySpan<char> text, int end)
    {
        while (end < text.Length && (CharClass.At(text, end, out int length) & CharClass.Letter) != 0)
        {
            end += length;
        }
        return end;
    }
}
