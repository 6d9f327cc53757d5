using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using FineTune.Datasets;
using Xunit;

namespace FineTune.Core.Tests.Datasets;

public class JsonlReaderTests
{
    private static List<(long Line, long Offset, string Text, int Invalid)> ReadAll(byte[] bytes, int maxLineBytes = JsonlReader.DefaultMaxLineBytes, bool trickle = false)
    {
        var result = new List<(long, long, string, int)>();
        Stream stream = trickle ? new TrickleStream(bytes) : new MemoryStream(bytes);
        using var reader = new JsonlReader(stream, ownsStream: true, maxLineBytes);
        while (reader.Read())
        {
            Assert.True(!reader.IsTooLong || reader.LineByteCount > maxLineBytes);
            result.Add((reader.LineNumber, reader.ByteOffset, reader.IsTooLong ? "<too long>" : Encoding.UTF8.GetString(reader.Line.ToArray()), reader.InvalidUtf8Index));
        }
        return result;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Reads_lines_with_bom_crlf_blank_lines_and_unterminated_last_line(bool trickle)
    {
        byte[] bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes("{\"a\":1}\r\n\r\n   \n{\"b\":\"é\"}\n{\"c\":3}")).ToArray();
        var lines = ReadAll(bytes, trickle: trickle);
        Assert.Equal(new[] { (1L, 3L, "{\"a\":1}", -1), (4L, 18L, "{\"b\":\"é\"}", -1), (5L, 29L, "{\"c\":3}", -1) }, lines);
    }

    [Fact]
    public void Reports_unterminated_last_line_and_counts_blank_lines()
    {
        using var reader = new JsonlReader(new MemoryStream(Encoding.UTF8.GetBytes("{}\n\n{}")));
        while (reader.Read())
        {
        }
        Assert.True(reader.LastLineUnterminated);
        Assert.Equal(1, reader.BlankLines);
    }

    [Fact]
    public void Finds_invalid_utf8_with_its_position()
    {
        byte[] bytes = Encoding.UTF8.GetBytes("{\"a\":\"é").Concat(new byte[] { 0xC3, 0x28 }).Concat(Encoding.UTF8.GetBytes("\"}\n{}\n")).ToArray();
        var lines = ReadAll(bytes);
        Assert.Equal(8, lines[0].Invalid);
        Assert.Equal(-1, lines[1].Invalid);
        Assert.Equal(8, Utf8Validation.ColumnOf(bytes, 8)); // é is one character of two bytes
    }

    [Theory]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0xC0, 0x80 })] // overlong
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })] // surrogate
    [InlineData(new byte[] { 0xF4, 0x90, 0x80, 0x80 })] // beyond U+10FFFF
    [InlineData(new byte[] { 0xE2, 0x82 })] // truncated
    public void Rejects_every_kind_of_invalid_utf8(byte[] bad)
    {
        byte[] line = Encoding.ASCII.GetBytes("0123456789").Concat(bad).ToArray();
        Assert.Equal(10, Utf8Validation.IndexOfInvalid(line));
    }

    [Fact]
    public void Reads_a_10_MB_line_whole()
    {
        string big = "{\"x\":\"" + new string('a', 10 * 1024 * 1024) + "\"}";
        var lines = ReadAll(Encoding.UTF8.GetBytes("{}\n" + big + "\n{}\n"));
        Assert.Equal(3, lines.Count);
        Assert.Equal(big, lines[1].Text);
        Assert.Equal(3, lines[1].Offset);
        Assert.Equal(big.Length + 4, lines[2].Offset);
    }

    [Fact]
    public void Skips_lines_longer_than_the_limit_and_goes_on()
    {
        string longLine = new string('x', 100_000);
        var lines = ReadAll(Encoding.UTF8.GetBytes("{\"a\":1}\n" + longLine + "\n{\"b\":2}\n" + longLine), maxLineBytes: 1000);
        Assert.Equal(new[] { "{\"a\":1}", "<too long>", "{\"b\":2}", "<too long>" }, lines.Select(l => l.Text));
        Assert.Equal(new long[] { 1, 2, 3, 4 }, lines.Select(l => l.Line));
        Assert.Equal(8, lines[1].Offset);
    }

    [Fact]
    public void Empty_stream_has_no_lines()
    {
        Assert.Empty(ReadAll(Array.Empty<byte>()));
        Assert.Empty(ReadAll(new byte[] { 0xEF, 0xBB, 0xBF }));
        Assert.Empty(ReadAll(Encoding.UTF8.GetBytes("\n\r\n  \n")));
    }

    /// <summary>Returns at most 3 bytes per read, to exercise every buffer boundary.</summary>
    private sealed class TrickleStream : MemoryStream
    {
        public TrickleStream(byte[] bytes) : base(bytes)
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, 3));
    }
}
