using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using FineTune.Datasets;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace FineTune.Core.Tests.Datasets;

/// <summary>Property tests: the reader and the JSON model against generated input.</summary>
public class JsonPropertyTests
{
    private static readonly string[] Texts = { "", "a", "é", "日本語", "😀", "\"", "\\", "\n", "\u0001", "<b>&", "tab\there", "\u2028" };

    private static Gen<object?> Value(int size)
    {
        Gen<object?> leaf = Gen.OneOf(
            Gen.Constant<object?>(null),
            Gen.Elements(true, false).Select(b => (object?)b),
            ArbMap.Default.GeneratorFor<long>().Select(l => (object?)l),
            ArbMap.Default.GeneratorFor<double>().Where(d => !double.IsNaN(d) && !double.IsInfinity(d)).Select(d => (object?)d),
            Gen.Elements(Texts).ListOf().Select(parts => (object?)string.Concat(parts)));
        if (size <= 0)
        {
            return leaf;
        }
        Gen<object?> array = Value(size / 3).ListOf().Resize(4).Select(items => (object?)items.ToList());
        Gen<object?> obj = Gen.Zip(Gen.Elements(Texts).ListOf().Resize(3).Select(p => string.Concat(p)), Value(size / 3)).ListOf().Resize(4)
            .Select(pairs =>
            {
                var o = new JsonObjectValue();
                foreach ((string key, object? value) in pairs.GroupBy(p => p.Item1).Select(g => g.First()))
                {
                    o.Add(key, value);
                }
                return (object?)o;
            });
        return Gen.Frequency((3, leaf), (1, array), (1, obj));
    }

    [Fact]
    public void Writing_then_parsing_is_lossless_and_agrees_with_System_Text_Json()
    {
        var writer = new JsonGraphWriter();
        Prop.ForAll(Gen.Sized(s => Value(s)).Select(v => { var root = new JsonObjectValue(); root.Add("v", v); return root; }).ToArbitrary(), root =>
        {
            string json = writer.ToJson(root);
            bool parsed = JsonValueParser.TryParseObject(Encoding.UTF8.GetBytes(json), out JsonObjectValue? again, out JsonLineError? error);
            using JsonDocument reference = JsonDocument.Parse(json);
            using JsonDocument reparsed = JsonDocument.Parse(writer.ToJson(again));
            return parsed && writer.ToJson(again) == json && JsonElement.DeepEquals(reference.RootElement, reparsed.RootElement)
                && !json.Contains("\\u00e9") && !json.Contains('\n');
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void The_reader_returns_every_line_whatever_the_line_ends_and_chunk_sizes()
    {
        Gen<(List<string> Lines, List<int> Ends, bool Bom, bool FinalNewline, int Chunk)> cases =
            from lines in Gen.Elements("{}", "{\"a\":1}", "x", "é😀", "   ", "", "\t{\"b\":[1,2]}").ListOf().Select(l => l.ToList())
            from ends in Gen.Elements(0, 1).ListOf(lines.Count).Select(e => e.ToList())
            from bom in ArbMap.Default.GeneratorFor<bool>()
            from finalNewline in ArbMap.Default.GeneratorFor<bool>()
            from chunk in Gen.Choose(1, 9)
            select (lines, ends, bom, finalNewline, chunk);
        Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var bytes = new List<byte>();
            if (c.Bom)
            {
                bytes.AddRange(new byte[] { 0xEF, 0xBB, 0xBF });
            }
            var expected = new List<(long, string)>();
            for (int i = 0; i < c.Lines.Count; i++)
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(c.Lines[i]));
                if (c.Lines[i].Trim().Length > 0)
                {
                    expected.Add((i + 1, c.Lines[i]));
                }
                if (i < c.Lines.Count - 1 || c.FinalNewline)
                {
                    bytes.AddRange(c.Ends[i] == 0 ? new[] { (byte)'\n' } : new[] { (byte)'\r', (byte)'\n' });
                }
            }
            var actual = new List<(long, string)>();
            using var reader = new JsonlReader(new ChunkedStream(bytes.ToArray(), c.Chunk));
            while (reader.Read())
            {
                actual.Add((reader.LineNumber, Encoding.UTF8.GetString(reader.Line.ToArray())));
            }
            return actual.SequenceEqual(expected);
        }).QuickCheckThrowOnFailure();
    }

    private sealed class ChunkedStream : MemoryStream
    {
        private readonly int _chunk;

        public ChunkedStream(byte[] bytes, int chunk) : base(bytes) => _chunk = chunk;

        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, _chunk));
    }
}
