using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using FineTune.Tests;
using FineTune.Tests.Tokens.Support;
using FineTune.Tokens;
using Xunit;

namespace FineTune.Tests.Tokens;

/// <summary>
/// Token ids equal OpenAI's tiktoken (npm, WASM build of the Rust core; installed by the test
/// with npm into a cache folder) for every string of corpora regenerated with the shared
/// deterministic generators, and for hand-made traps, in both encodings.
/// </summary>
public sealed class ReferenceCorpusTests : IClassFixture<ReferenceCorpusTests.Corpora>
{
    private readonly Corpora _corpora;

    public ReferenceCorpusTests(Corpora corpora) => _corpora = corpora;

    [Theory]
    [InlineData("cl100k_base")]
    [InlineData("o200k_base")]
    public void MixedCorpus_EveryDocumentMatchesTiktoken(string encoding) =>
        AssertSameIds(encoding, _corpora.Documents);

    [Theory]
    [InlineData("cl100k_base")]
    [InlineData("o200k_base")]
    public void ChatDataset_EveryRoleContentAndNameMatchesTiktoken(string encoding) =>
        AssertSameIds(encoding, _corpora.ChatStrings);

    [Theory]
    [InlineData("cl100k_base")]
    [InlineData("o200k_base")]
    public void Traps_MatchTiktoken(string encoding) => AssertSameIds(encoding, Traps());

    /// <summary>
    /// Every code point of the BMP, of planes 1 to 3 (CJK extensions sampled) and of the
    /// assigned part of plane 14, each between letters, digits, spaces, apostrophes and line
    /// breaks, so a misclassified code point changes pieces.
    /// </summary>
    [Theory]
    [InlineData("cl100k_base")]
    [InlineData("o200k_base")]
    public void EveryCodePointInContext_MatchesTiktoken(string encoding)
    {
        var texts = new List<string>();
        var text = new StringBuilder();
        foreach (int codePoint in Enumerable.Range(0, 0x32400).Concat(Enumerable.Range(0xE0000, 0x200)))
        {
            if (codePoint is >= 0xD800 and <= 0xDFFF)
            {
                continue;
            }
            if (codePoint >= 0x20000 && codePoint < 0x30000 && codePoint % 64 != 0)
            {
                continue; // CJK Extensions: one class throughout; sample them
            }
            string c = char.ConvertFromUtf32(codePoint);
            text.Append("1").Append(c).Append("23 a").Append(c).Append("b ").Append(c).Append("'s").Append(c).Append("\n ");
            text.Append("ab").Append(c).Append("CD").Append(c).Append(c).Append(" x ").Append(c).Append("  ").Append(c).Append('/');
            if (text.Length > 4000)
            {
                texts.Add(text.ToString());
                text.Clear();
            }
        }
        texts.Add(text.ToString());
        AssertSameIds(encoding, texts);
    }

    private static void AssertSameIds(string encodingName, IReadOnlyList<string> texts)
    {
        TokenEncoding encoding = TokenEncoding.Get(encodingName);
        int[][] expected = TiktokenReference.Encode(encodingName, texts);
        var failures = new List<string>();
        long tokens = 0;
        for (int i = 0; i < texts.Count; i++)
        {
            int[] actual = encoding.Encode(texts[i]);
            tokens += actual.Length;
            if (!actual.SequenceEqual(expected[i]))
            {
                failures.Add(Describe(texts[i], expected[i], actual));
            }
            else if (encoding.CountTokens(texts[i]) != actual.Length)
            {
                failures.Add($"CountTokens differs from Encode for {JsonSerializer.Serialize(texts[i])}");
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {texts.Count} strings differ from tiktoken:\n" + string.Join("\n", failures.Take(10)));
        Assert.True(tokens > 0);
    }

    private static string Describe(string text, int[] expected, int[] actual)
    {
        int at = 0;
        while (at < expected.Length && at < actual.Length && expected[at] == actual[at])
        {
            at++;
        }
        TokenEncoding cl = TokenEncoding.Get("cl100k_base");
        int from = Math.Max(0, at - 3);
        string context = text.Length > 200 ? "(" + text.Length + " chars)" : JsonSerializer.Serialize(text);
        return $"{context}: first difference at token {at}: expected [{string.Join(",", expected.Skip(from).Take(8))}] got [{string.Join(",", actual.Skip(from).Take(8))}]";
    }

    internal static List<string> Traps()
    {
        var traps = new List<string>
        {
            "\ud800", "a\ud800b", "\udc00x", "x\udbff", "\ud83d\ude00\ud83d", "\ude00\ud83d\ude00", "'\ud800s", " \udfff\n",
            "\u0085", "a\u0085\u0085 b", " \u0085x", "\u0085\n\u0085", "\ufeff", " \ufeffx", "x\ufeff\ufeff y", "\ufeff\ufeff\n",
            "It'\u017Fa", "'\u017F", "'S'T'RE'VE'M'LL'D", "'Re's'x'll'l", "A'sB'ts", "\u212A'\u212A",
            "𝐇𝐞𝐥𝐥𝐨 𝑤𝑜𝑟𝑙𝑑 𝟏𝟐𝟑𝟒", "野𠮷家", "a𝟗9", "𝟗𝟗𝟗𝟗", "𐐀𐐨𐐩'𐐜", "ǅungla Ǆ ǆ", "ʰʲʷ ᴬᴮ", "ⅫⅣ ⅻ", "①②③④",
            "e\u0301\u0301x", "\u0301abc", "\u0301\u0301", "A\u0301B\u0301c", "\u0903\u0915", " \u0301", "ABCdef'sGHI", "HELLO'S world",
            "\r\n\r\n", "\n \n  \n   x", "  \t\n\t  y", " \r", "\r", "x  ", "   ", "\u3000\u3000x", "\u00a0\u00a0y",
            "a//b///c", " //\n", "?!\n\n/", "...\r\n", "<|endoftext|>", "<|endofprompt|>x", "1234567", "１２３４", "٣٤٥٦",
            new string('a', 5000), new string(' ', 3000) + "x", string.Concat(Enumerable.Repeat("ab", 2000)), string.Concat(Enumerable.Repeat("𝐇", 700)),
            string.Concat(Enumerable.Repeat("\ud800", 50)), string.Concat(Enumerable.Repeat("e\u0301", 300)),
        };
        return traps;
    }

    /// <summary>A 3 MiB mixed corpus and a 2,000-example chat dataset from the shared generators.</summary>
    public sealed class Corpora : IDisposable
    {
        private readonly string _directory = Path.Combine(Path.GetTempPath(), "finetune-corpora-" + Guid.NewGuid().ToString("N"));

        public Corpora()
        {
            Directory.CreateDirectory(_directory);
            string corpus = Path.Combine(_directory, "corpus.jsonl");
            string chat = Path.Combine(_directory, "chat.jsonl");
            NodeTools.Generate("gen-corpus.js", "--seed", "11", "--size-mb", "3", "--out", corpus);
            NodeTools.Generate("gen-chat.js", "--seed", "11", "--examples", "2000", "--out", chat);
            Documents = TiktokenReference.StringsOf(corpus);
            ChatStrings = TiktokenReference.StringsOf(chat);
        }

        public List<string> Documents { get; }

        public List<string> ChatStrings { get; }

        public void Dispose() => Directory.Delete(_directory, recursive: true);
    }
}
