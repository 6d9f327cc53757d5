using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using FineTune.Datasets;
using Xunit;

namespace FineTune.Core.Tests.Datasets;

public class ParallelLinesTests
{
    /// <summary>Lines of 1 byte to 3 MB with blank lines between some, as (number, text) in file order.</summary>
    private static (byte[] File, List<(long Number, string Text)> Lines) VariedFile(int count, int seed)
    {
        var random = new Random(seed);
        var file = new MemoryStream();
        var lines = new List<(long, string)>();
        long number = 0;
        for (int i = 0; i < count; i++)
        {
            if (random.Next(10) == 0)
            {
                number++;
                file.Write(Encoding.UTF8.GetBytes("  \r\n"));
            }
            int length = random.Next(200) == 0 ? random.Next(1 << 20, 3 << 20) : random.Next(1, 2000);
            string text = i + ":" + new string((char)('a' + random.Next(26)), length);
            number++;
            lines.Add((number, text));
            file.Write(Encoding.UTF8.GetBytes(text + (random.Next(2) == 0 ? "\n" : "\r\n")));
        }
        return (file.ToArray(), lines);
    }

    private static List<(long, string)> ProcessAll(Stream stream, int degree, CancellationToken cancellationToken = default)
    {
        var seen = new List<(long, string)>();
        using var reader = new JsonlReader(stream, ownsStream: true);
        foreach (LineBatch<string> batch in ParallelLines.Process(reader, degree, line => Encoding.UTF8.GetString(line.Bytes.Span), cancellationToken))
        {
            for (int i = 0; i < batch.Count; i++)
            {
                seen.Add((batch.Lines[i].Number, batch.Results[i]));
            }
        }
        return seen;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(8)]
    public void Gives_every_line_once_in_file_order_with_its_number(int degree)
    {
        (byte[] file, List<(long, string)> lines) = VariedFile(20_000, seed: degree);
        Assert.Equal(lines, ProcessAll(new MemoryStream(file), degree));
    }

    [Fact]
    public void A_line_larger_than_all_the_memory_in_flight_is_processed_alone_and_in_order()
    {
        string huge = new string('h', ParallelLines.BytesInFlight + 12345);
        var expected = new List<(long, string)>();
        var file = new StringBuilder();
        for (int i = 1; i <= 3000; i++)
        {
            string text = i == 1500 ? huge : "line " + i + new string('x', 4000);
            expected.Add((i, text));
            file.Append(text).Append('\n');
        }
        Assert.Equal(expected, ProcessAll(new MemoryStream(Encoding.UTF8.GetBytes(file.ToString())), 4));
    }

    [Fact]
    public void A_line_over_the_limit_comes_with_what_the_reader_says_of_it()
    {
        byte[] file = Encoding.UTF8.GetBytes("short\n" + new string('x', 5000) + "\nafter\n");
        using var reader = new JsonlReader(new MemoryStream(file), ownsStream: true, maxLineBytes: 1000);
        List<JsonlLine> lines = ParallelLines.Process(reader, 2, line => line, CancellationToken.None).SelectMany(b => b.Results.Take(b.Count)).ToList();
        Assert.Equal(new long[] { 1, 2, 3 }, lines.Select(l => l.Number));
        Assert.Null(lines[0].TooLong);
        Assert.Equal("is longer than the 1,000-byte line limit", lines[1].TooLong);
        Assert.True(lines[1].Bytes.IsEmpty);
        Assert.Null(lines[2].TooLong);
    }

    [Fact]
    public void Stopping_the_enumeration_stops_the_reading_of_an_endless_input()
    {
        var endless = new EndlessLines();
        using (var reader = new JsonlReader(endless, ownsStream: true))
        {
            int batches = 0;
            foreach (LineBatch<int> batch in ParallelLines.Process(reader, 2, line => line.Bytes.Length, CancellationToken.None))
            {
                if (++batches == 3)
                {
                    break;
                }
            }
        }
        long readWhenStopped = endless.BytesRead;
        Thread.Sleep(300);
        Assert.Equal(readWhenStopped, endless.BytesRead);
        Assert.InRange(readWhenStopped, 1, 64L << 20);
    }

    [Fact]
    public void Cancellation_ends_the_enumeration_with_OperationCanceledException()
    {
        using var cancel = new CancellationTokenSource();
        using var reader = new JsonlReader(new EndlessLines(), ownsStream: true, cancellationToken: cancel.Token);
        int batches = 0;
        Assert.ThrowsAny<OperationCanceledException>(() =>
        {
            foreach (LineBatch<int> batch in ParallelLines.Process(reader, 2, line => line.Bytes.Length, cancel.Token))
            {
                if (++batches == 2)
                {
                    cancel.Cancel();
                }
            }
        });
    }

    [Fact]
    public void A_read_failure_comes_after_the_lines_read_before_it()
    {
        (byte[] file, List<(long Number, string Text)> lines) = VariedFile(5000, seed: 7);
        var failing = new FailingStream(file, failAt: file.Length / 2);
        var seen = new List<(long, string)>();
        using var reader = new JsonlReader(failing, ownsStream: true);
        IOException error = Assert.Throws<IOException>(() =>
        {
            foreach (LineBatch<string> batch in ParallelLines.Process(reader, 2, line => Encoding.UTF8.GetString(line.Bytes.Span), CancellationToken.None))
            {
                for (int i = 0; i < batch.Count; i++)
                {
                    seen.Add((batch.Lines[i].Number, batch.Results[i]));
                }
            }
        });
        Assert.Equal("disk gone", error.Message);
        Assert.NotEmpty(seen);
        Assert.Equal(lines.Take(seen.Count), seen);
    }

    [Fact]
    public void A_failure_of_the_work_is_thrown_where_its_batch_would_have_come()
    {
        (byte[] file, List<(long Number, string Text)> lines) = VariedFile(5000, seed: 8);
        long failing = lines[4000].Number;
        var seen = new List<long>();
        using var reader = new JsonlReader(new MemoryStream(file), ownsStream: true);
        var error = Assert.Throws<InvalidOperationException>(() =>
        {
            foreach (LineBatch<long> batch in ParallelLines.Process(reader, 2, line => line.Number == failing ? throw new InvalidOperationException("bad line") : line.Number, CancellationToken.None))
            {
                seen.AddRange(batch.Results.Take(batch.Count));
            }
        });
        Assert.Equal("bad line", error.Message);
        Assert.Equal(lines.Select(l => l.Number).Take(seen.Count), seen);
        Assert.True(seen.Count <= 4000);
    }

    /// <summary>"{}" lines forever, counting what was read.</summary>
    private sealed class EndlessLines : Stream
    {
        private long _read;

        public long BytesRead => Interlocked.Read(ref _read);
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            for (int i = 0; i < count; i++)
            {
                buffer[offset + i] = (i % 3) switch { 0 => (byte)'{', 1 => (byte)'}', _ => (byte)'\n' };
            }
            count -= count % 3;
            Interlocked.Add(ref _read, count);
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>A file whose reads fail past a point.</summary>
    private sealed class FailingStream : MemoryStream
    {
        private readonly long _failAt;

        public FailingStream(byte[] data, long failAt) : base(data) => _failAt = failAt;

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (Position >= _failAt)
            {
                throw new IOException("disk gone");
            }
            return base.Read(buffer, offset, (int)Math.Min(count, _failAt - Position));
        }

        public override int Read(Span<byte> buffer)
        {
            if (Position >= _failAt)
            {
                throw new IOException("disk gone");
            }
            return base.Read(buffer.Slice(0, (int)Math.Min(buffer.Length, _failAt - Position)));
        }
    }
}
