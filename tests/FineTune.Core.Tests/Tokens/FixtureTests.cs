using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using FineTune.Tests;
using FineTune.Tokens;
using Xunit;

namespace FineTune.Tests.Tokens;

/// <summary>
/// The committed fixtures of ../shared/tools/tiktoken/make-fixtures.js: published examples,
/// hand-picked edge cases and random snippets with the ids OpenAI's tiktoken gives them.
/// </summary>
public sealed class FixtureTests
{
    [Theory]
    [InlineData("cl100k_base")]
    [InlineData("o200k_base")]
    public void Encode_MatchesTiktokenOnEveryFixture(string encodingName)
    {
        using JsonDocument fixtures = JsonDocument.Parse(File.ReadAllText(TestPaths.FixturePath("tiktoken-fixtures.json")));
        TokenEncoding encoding = TokenEncoding.Get(encodingName);
        var failures = new List<string>();
        int cases = 0;
        foreach (JsonElement fixture in fixtures.RootElement.GetProperty("encodings").GetProperty(encodingName).EnumerateArray())
        {
            string text = fixture.GetProperty("text").GetString()!;
            int[] expected = fixture.GetProperty("ids").EnumerateArray().Select(id => id.GetInt32()).ToArray();
            int[] actual = encoding.Encode(text);
            cases++;
            if (!actual.SequenceEqual(expected))
            {
                failures.Add($"{JsonSerializer.Serialize(text)}: expected [{string.Join(",", expected)}] got [{string.Join(",", actual)}]");
            }
            Assert.Equal(expected.Length, encoding.CountTokens(text));
        }
        Assert.True(cases > 90, $"only {cases} fixtures were read");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
