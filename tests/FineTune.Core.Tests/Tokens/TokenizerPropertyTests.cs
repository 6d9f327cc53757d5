using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using FineTune.Tokens;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace FineTune.Tests.Tokens;

/// <summary>Properties that hold for every input, checked on generated strings.</summary>
public sealed class TokenizerPropertyTests
{
    /// <summary>Code units that exercise every branch of the pre-tokenizers.</summary>
    private static readonly string[] s_atoms =
    {
        "a", "Z", "é", "e\u0301", "\u0301", "ǅ", "ʰ", "中", "𠮷", "𝐇", "𝟏", "1", "٣", "Ⅻ", "'", "'s", "'LL", "'\u017F",
        " ", "  ", "\t", "\n", "\r\n", "\u0085", "\u00A0", "\u3000", "\uFEFF", ".", "/", "!?", "<|endoftext|>", "😀", "👩‍👧",
        "\ud800", "\udc00", "\ud83d", "\ude00", "hello", " world", "HTTP", "don't", "12345",
    };

    private static Arbitrary<string> Texts() =>
        Gen.ArrayOf(Gen.Elements(s_atoms)).Select(parts => string.Concat(parts)).ToArbitrary();

    [Theory]
    [InlineData("cl100k_base")]
    [InlineData("o200k_base")]
    public void DecodeOfEncode_IsTheUtf8OfTheText(string name)
    {
        TokenEncoding encoding = TokenEncoding.Get(name);
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(2000), Prop.ForAll(Texts(), text =>
            encoding.DecodeBytes(encoding.Encode(text)).AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(text))));
    }

    [Theory]
    [InlineData("cl100k_base")]
    [InlineData("o200k_base")]
    public void CountTokens_EqualsTheNumberOfIds(string name)
    {
        TokenEncoding encoding = TokenEncoding.Get(name);
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(2000), Prop.ForAll(Texts(), text =>
            encoding.CountTokens(text) == encoding.Encode(text).Length));
    }

    /// <summary>The heap merge used for long pieces merges in the same order as tiktoken's scan.</summary>
    [Theory]
    [InlineData("cl100k_base")]
    [InlineData("o200k_base")]
    public void LongPieceMerge_EqualsTheShortPieceScan(string name)
    {
        TokenEncoding encoding = TokenEncoding.Get(name);
        Gen<byte[]> pieces = Gen.ArrayOf(Gen.Elements(Encoding.UTF8.GetBytes("aabbcteh xyz0\u00e9\u4e2d")))
            .Where(bytes => bytes.Length >= 2 && bytes.Length <= BytePairMerge.ShortPieceLimit);
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(2000), Prop.ForAll(pieces.ToArbitrary(), piece =>
        {
            var viaScan = new List<int>();
            var viaHeap = new List<int>();
            var scan = new TokenAppender(viaScan);
            var heap = new TokenAppender(viaHeap);
            BytePairMerge.MergeShort(encoding.Ranks, piece, ref scan);
            BytePairMerge.MergeLong(encoding.Ranks, piece, ref heap);
            return viaScan.SequenceEqual(viaHeap);
        }));
    }

    [Fact]
    public void LoneSurrogates_CountAsReplacementCharacters()
    {
        TokenEncoding encoding = TokenEncoding.Get("cl100k_base");
        Assert.Equal(encoding.Encode("a\uFFFDb\uFFFD"), encoding.Encode("a\ud800b\udfff"));
    }
}
