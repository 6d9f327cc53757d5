using FineTune.Service;
using Xunit;

namespace FineTune.Tests.Service;

public sealed class ServiceTextTests
{
    [Theory]
    [InlineData("plain text, unchanged", "plain text, unchanged")]
    [InlineData("\u001b]0;pwned\u0007title", "\\u001B]0;pwned\\u0007title")]
    [InlineData("line one\r\nline two\tend", "line one\\r\\nline two\\tend")]
    [InlineData("\u009b31mred", "\\u009B31mred")]
    [InlineData("abc\u202Etxt.exe", "abc\\u202Etxt.exe")]
    [InlineData("del\u007f", "del\\u007F")]
    [InlineData("ünïcödé and emoji \U0001F600 stay", "ünïcödé and emoji \U0001F600 stay")]
    public void EscapesControlAndDirectionCharactersOnly(string text, string expected)
    {
        Assert.Equal(expected, ServiceText.Escape(text));
    }

    [Fact]
    public void CleanMasksEscapesAndBounds()
    {
        string cleaned = ServiceText.Clean("sk-proj-****abcd\u001b[2J" + new string('x', 5000), 100)!;

        Assert.StartsWith("***\\u001B[2J", cleaned, System.StringComparison.Ordinal);
        Assert.Equal(103, cleaned.Length);
        Assert.EndsWith("...", cleaned, System.StringComparison.Ordinal);
        Assert.Null(ServiceText.Clean(null));
    }
}
