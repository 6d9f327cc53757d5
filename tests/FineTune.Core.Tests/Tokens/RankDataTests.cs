using System;
using System.Security.Cryptography;
using System.Text;
using FineTune.Tokens;
using Xunit;

namespace FineTune.Tests.Tokens;

/// <summary>The embedded ranks are byte for byte the official .tiktoken files.</summary>
public sealed class RankDataTests
{
    /// <summary>
    /// Rebuilds the <c>.tiktoken</c> text (base64 token, space, rank, newline) from the embedded
    /// data and compares its sha256 with the value pinned in tiktoken's
    /// <c>tiktoken_ext/openai_public.py</c>.
    /// </summary>
    [Theory]
    [InlineData("cl100k_base", 100256, "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7")]
    [InlineData("o200k_base", 199998, "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d")]
    public void EmbeddedRanks_HashToTheOfficialFile(string name, int count, string sha256)
    {
        TokenEncoding encoding = TokenEncoding.Get(name);
        Assert.Equal(count, encoding.TokenCount);
        var text = new StringBuilder();
        for (int rank = 0; rank < encoding.TokenCount; rank++)
        {
            text.Append(Convert.ToBase64String(encoding.Ranks.Token(rank).ToArray())).Append(' ').Append(rank).Append('\n');
        }
        string actual = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()))).ToLowerInvariant();
        Assert.Equal(sha256, actual);
    }

    [Fact]
    public void Get_IsCaseInsensitiveAndReturnsOneInstance()
    {
        Assert.Same(TokenEncoding.Get("cl100k_base"), TokenEncoding.Get("CL100K_BASE"));
        Assert.Equal(new[] { "cl100k_base", "o200k_base" }, TokenEncoding.Names);
    }

    [Fact]
    public void Get_UnknownName_IsAnInvalidArgumentNamingTheChoices()
    {
        FineTuneException error = Assert.Throws<FineTuneException>(() => TokenEncoding.Get("p50k_base"));
        Assert.Equal("FineTune.Tokens.UnknownEncoding", error.ErrorId);
        Assert.Equal(FailureKind.InvalidArgument, error.Kind);
        Assert.Contains("o200k_base", error.RecommendedAction);
    }

    [Fact]
    public void SpecialTokenText_IsFoundAndEncodedAsOrdinaryText()
    {
        TokenEncoding o200k = TokenEncoding.Get("o200k_base");
        TokenEncoding cl100k = TokenEncoding.Get("cl100k_base");
        Assert.Equal("<|endoftext|>", o200k.FindSpecialToken("a <|endoftext|> b"));
        Assert.Equal("<|fim_middle|>", cl100k.FindSpecialToken("x<|fim_middle|>"));
        Assert.Null(o200k.FindSpecialToken("x<|fim_middle|>"));
        Assert.Null(cl100k.FindSpecialToken("<| endoftext |>"));
        Assert.DoesNotContain(100257, cl100k.Encode("<|endoftext|>"));
        Assert.True(cl100k.Encode("<|endoftext|>").Length > 1);
    }

    [Fact]
    public void DecodeBytes_RejectsAnIdOutsideTheVocabulary()
    {
        FineTuneException error = Assert.Throws<FineTuneException>(() => TokenEncoding.Get("cl100k_base").DecodeBytes(new[] { 100256 }));
        Assert.Equal("FineTune.Tokens.UnknownTokenId", error.ErrorId);
    }
}
