using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using FineTune.Tokens;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace FineTune.Tests.Tokens;

/// <summary>
/// On text made only of BMP characters, where .NET's Regex sees whole code points and its
/// <c>\s</c> is Unicode White_Space like Rust's, tiktoken's own patterns run by .NET Regex
/// split exactly as the hand-written pre-tokenizers do: a second, independent oracle for
/// random inputs (the tiktoken reference tests cover astral characters).
/// </summary>
public sealed class PatternRegexPropertyTests
{
    private static readonly Regex s_cl100k = new(
        @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+",
        RegexOptions.CultureInvariant);

    private static readonly Regex s_o200k = new(
        @"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?" +
        @"|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?" +
        @"|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+",
        RegexOptions.CultureInvariant);

    /// <summary>BMP characters of every class the patterns distinguish (no long s: .NET and Rust fold it differently in regexes).</summary>
    private static readonly char[] s_alphabet =
        "aZéÉǅʰ中ー\u0301\u0903\u20DD1٣Ⅻ½'sStTrReEvVmMlLdD \t\n\r\u000B\u0085\u00A0\u3000\u2028\uFEFF.,/!?-_<|>\"()#$%&*+:;=@[]^`{}~😀"
            .Where(c => !char.IsSurrogate(c)).ToArray();

    private static List<string> Pieces(Regex pattern, string text) => pattern.Matches(text).Select(m => m.Value).ToList();

    private static List<string> Pieces(bool o200k, string text)
    {
        var pieces = new List<string>();
        for (int start = 0; start < text.Length;)
        {
            int end = o200k ? O200kPattern.NextPieceEnd(text, start) : Cl100kPattern.NextPieceEnd(text, start);
            pieces.Add(text.Substring(start, end - start));
            start = end;
        }
        return pieces;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void HandWrittenSplit_EqualsTheRegexSplit(bool o200k)
    {
        Arbitrary<string> texts = Gen.ArrayOf(Gen.Elements(s_alphabet)).Select(chars => new string(chars)).ToArbitrary();
        Regex pattern = o200k ? s_o200k : s_cl100k;
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(20000), Prop.ForAll(texts, text =>
            Pieces(pattern, text).SequenceEqual(Pieces(o200k, text))));
    }
}
