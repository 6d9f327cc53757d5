using FineTune.Evaluation;
using Xunit;

namespace FineTune.Tests.Evaluation;

public sealed class AnswerScoresTests
{
    [Theory]
    [InlineData("  Restart   the\tRouter.\n", "restart the router.")]
    [InlineData("ÄRGER  Über", "ärger über")]
    [InlineData("", "")]
    [InlineData(" \n\t ", "")]
    public void Normalises_white_space_and_case(string text, string expected) => Assert.Equal(expected, AnswerScores.Normalize(text));

    [Theory]
    [InlineData("Restart the router.", "  restart THE\nrouter. ", true)]
    [InlineData("Restart the router.", "Restart the router", false)] // punctuation counts for an exact match
    [InlineData("", "   ", true)]
    public void Exact_match_ignores_only_white_space_and_case(string answer, string reference, bool expected) =>
        Assert.Equal(expected, AnswerScores.ExactMatch(answer, reference));

    [Theory]
    [InlineData("the cat sat", "the cat sat on the mat", 2 * 1.0 * 0.5 / 1.5)] // precision 3/3, recall 3/6
    [InlineData("Restart the router!", "restart, the ROUTER", 1.0)] // punctuation and case do not count
    [InlineData("a a a", "a", 0.5)] // repeated words count once per occurrence in the reference: precision 1/3, recall 1
    [InlineData("nothing shared", "something else", 0.0)]
    [InlineData("...", "!!", 1.0)] // no words on either side
    [InlineData("...", "word", 0.0)]
    [InlineData("café 42", "Café 42", 1.0)]
    [InlineData("東京 大阪", "東京", 2 * 0.5 * 1.0 / 1.5)]
    public void Token_F1(string answer, string reference, double expected) =>
        Assert.Equal(expected, AnswerScores.TokenF1(answer, reference), 12);

    [Fact]
    public void Words_are_letters_digits_and_marks_with_astral_characters_whole() =>
        Assert.Equal(new[] { "e\u0301t\u00e9", "𝐀b", "x2" }, AnswerScores.Words("E\u0301t\u00e9 — 𝐀b, x2!"));
}
