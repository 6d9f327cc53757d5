using System.Linq;
using System.Text;
using FineTune.Tokens;
using Xunit;

namespace FineTune.Tests.Tokens;

public sealed class SpecialTokenTextTests
{
    [Fact]
    public void EveryEncodingsSpecialToken_HasTheShapeDatasetValidationLooksFor()
    {
        foreach (string token in SpecialTokenText.Cl100kBase.Concat(SpecialTokenText.O200kBase))
        {
            Assert.Equal(token, SpecialTokenText.FindAny("before " + token + " after"));
        }
    }

    [Fact]
    public void StartUtf8_IsStartInUtf8() =>
        Assert.Equal(Encoding.UTF8.GetBytes(SpecialTokenText.Start), SpecialTokenText.StartUtf8.ToArray());

    [Fact]
    public void Encodings_ExposeTheirOwnList()
    {
        Assert.Same(SpecialTokenText.Cl100kBase, TokenEncoding.Get("cl100k_base").SpecialTokens);
        Assert.Same(SpecialTokenText.O200kBase, TokenEncoding.Get("o200k_base").SpecialTokens);
    }

    [Theory]
    [InlineData("chat <|im_start|>user", "<|im_start|>")]
    [InlineData("a <|x|> then <|endoftext|>", "<|x|>")]
    [InlineData("<|<|endoftext|>", "<|endoftext|>")]
    [InlineData("<|abcdefghijklmnopqrstuvwxyz0123456789___|>", null)]
    [InlineData("<|abcdefghijklmnopqrstuvwxyz0123456789__|>", "<|abcdefghijklmnopqrstuvwxyz0123456789__|>")]
    [InlineData("<| endoftext |>", null)]
    [InlineData("<||>", null)]
    [InlineData("<|end-of-text|>", null)]
    [InlineData("<|endoftext|", null)]
    [InlineData("no markers", null)]
    public void FindAny_FindsTheFirstMarkerShapedText(string text, string? expected)
    {
        Assert.Equal(expected, SpecialTokenText.FindAny(text));
    }
}
