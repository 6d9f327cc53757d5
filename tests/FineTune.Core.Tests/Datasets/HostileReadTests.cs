using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using FineTune.Datasets;
using FineTune.Measurement;
using FineTune.Tokens;
using Xunit;

namespace FineTune.Core.Tests.Datasets;

/// <summary>
/// Inputs that never end or whose lines do not: the one line limit holds in every reader,
/// over-long lines are never buffered, and cancellation stops reading within a second
/// wherever it is. Big inputs are sparse files or endless streams made at test time.
/// </summary>
public class HostileReadTests
{
    private const string Good = "{\"messages\":[{\"role\":\"system\",\"content\":\"s\"},{\"role\":\"user\",\"content\":\"u{0}\"},{\"role\":\"assistant\",\"content\":\"a\"}]}";
    // A reader stops after at most one more read of 1 MiB (asserted exactly below, for the
    // endless stream); the time bound is wider than the one second promised so that a machine
    // shared by many jobs cannot fail it, and still far below what scanning the rest of a
    // 64 GB line would take.
    private static readonly TimeSpan StopBound = TimeSpan.FromSeconds(3);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_line_at_the_limit_is_read_and_one_byte_more_is_too_long(bool crlf)
    {
        const int limit = 64;
        string end = crlf ? "\r\n" : "\n";
        string atLimit = "{\"x\":\"" + new string('a', limit - 8 - (crlf ? 1 : 0)) + "\"}";
        string over = "{\"x\":\"" + new string('b', limit - 7 - (crlf ? 1 : 0)) + "\"}";
        using var reader = new JsonlReader(new MemoryStream(Encoding.ASCII.GetBytes(atLimit + end + over + end + "{}" + end)), maxLineBytes: limit);
        Assert.True(reader.Read());
        Assert.False(reader.IsTooLong);
        Assert.Equal(atLimit, Encoding.ASCII.GetString(reader.Line.ToArray()));
        Assert.True(reader.Read());
        Assert.True(reader.IsTooLong);
        Assert.Equal(2, reader.LineNumber);
        Assert.True(reader.Read());
        Assert.Equal("{}", Encoding.ASCII.GetString(reader.Line.ToArray()));
        Assert.False(reader.Read());
    }

    [Fact]
    public void A_long_line_of_a_file_is_measured_before_it_is_buffered()
    {
        using var dir = new TempDirectory();
        const int limit = 3 * 1024 * 1024;
        string fits = "{\"x\":\"" + new string('f', limit - 8) + "\"}";
        string over = new string('o', limit + 500_000);
        string path = dir.Write("long.jsonl", "{\"a\":1}\n" + fits + "\n" + over + "\n{\"b\":2}\n" + over);
        using JsonlReader reader = JsonlReader.Open(path, limit);
        var seen = new List<string>();
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        while (reader.Read())
        {
            seen.Add(reader.IsTooLong ? "<too long at " + reader.ByteOffset + ">" : reader.Line.Length > 100 ? "<" + reader.Line.Length + ">" : Encoding.ASCII.GetString(reader.Line.ToArray()));
        }
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        long overStart = 8 + fits.Length + 1;
        Assert.Equal(new[] { "{\"a\":1}", "<" + fits.Length + ">", "<too long at " + overStart + ">", "{\"b\":2}", "<too long at " + (overStart + over.Length + 1 + 8) + ">" }, seen);
        // The buffer grew to the line that fits (exactly, once measured); the longer ones never entered it.
        Assert.InRange(allocated, limit, 2L * limit + 1_000_000);
    }

    [Fact]
    public void A_314_MB_line_is_LineTooLong_for_every_reader_and_the_valid_lines_after_it_are_read()
    {
        using var dir = new TempDirectory();
        string path = dir.File("sparse.jsonl");
        long lineLength = 314L * 1000 * 1000;
        using (var file = new FileStream(path, FileMode.CreateNew))
        {
            byte[] first = Encoding.ASCII.GetBytes(Good.Replace("{0}", "0") + "\n");
            file.Write(first);
            file.SetLength(first.Length + lineLength); // a sparse run of zero bytes: one line with no newline
            file.Seek(0, SeekOrigin.End);
            for (int i = 1; i <= 12; i++)
            {
                file.Write(Encoding.ASCII.GetBytes("\n" + Good.Replace("{0}", i.ToString())));
            }
            file.Write(Encoding.ASCII.GetBytes("\n"));
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread();
        List<DatasetIssue> issues = DatasetValidator.ValidateFile(path).ToList();
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        DatasetIssue tooLong = Assert.Single(issues, i => i.Code == DatasetIssueCodes.LineTooLong);
        Assert.Equal(2, tooLong.Line);
        Assert.Contains("longer than the 268,435,456-byte line limit", tooLong.Message);
        Assert.Equal(new[] { DatasetIssueCodes.LineTooLong, DatasetIssueCodes.FewExamples }, issues.Select(i => i.Code)); // lines 3-14 were checked: 13 examples, all good
        Assert.True(allocated < 64L * 1024 * 1024, $"validation allocated {allocated:N0} bytes for a 314 MB line");

        var measured = new List<LineMeasurement>();
        DatasetMeasurement measurement = new DatasetMeasurer(TokenEncoding.Get("o200k_base"), null).Measure(path, measured.Add);
        Assert.Equal((13L, 1L), (measurement.ExampleCount, measurement.SkippedLineCount));
        Assert.Contains("longer than the 268,435,456-byte line limit", measured.Single(m => m.Error is not null).Error!.Message);

        FineTuneException split = Assert.Throws<FineTuneException>(() => DatasetSplitter.Split(path, 0.1, null, 1));
        Assert.Equal("FineTune.Dataset.LineTooLong", split.ErrorId);
        Assert.Contains("Line 2 of", split.Message);
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public async Task Dev_zero_ends_with_LineTooLong_instead_of_reading_forever()
    {
        if (!File.Exists("/dev/zero"))
        {
            return; // Windows has no /dev/zero; the endless stream below covers the same path there
        }
        var options = new DatasetValidationOptions { MaxLineBytes = 4 * 1024 * 1024 };
        Task<List<DatasetIssue>> run = Task.Run(() => DatasetValidator.ValidateFile("/dev/zero", options).ToList());
        Assert.True(await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(60))) == run, "validation of /dev/zero did not end");
        DatasetIssue issue = Assert.Single(await run, i => i.Code == DatasetIssueCodes.LineTooLong);
        Assert.Contains("no end that can be found", issue.Message);
    }

    [Fact]
    public void An_endless_line_on_a_stream_without_a_length_ends_with_LineTooLong()
    {
        using var reader = new JsonlReader(new EndlessZeros(), maxLineBytes: 2 * 1024 * 1024);
        Assert.True(reader.Read());
        Assert.True(reader.IsTooLong);
        Assert.True(reader.StopsAfterLine);
        Assert.False(reader.Read());
    }

    [Fact]
    public void Cancellation_stops_reading_inside_an_endless_line_within_a_second()
    {
        var stream = new EndlessZeros();
        using var cancel = new CancellationTokenSource();
        using var reader = new JsonlReader(stream, maxLineBytes: int.MaxValue, cancellationToken: cancel.Token);
        Task<bool> reading = Task.Run(reader.Read);
        Assert.True(stream.ReadsStarted.Wait(TimeSpan.FromSeconds(30)));
        var watch = Stopwatch.StartNew();
        cancel.Cancel();
        int readsWhenCancelled = stream.Reads;
        Assert.ThrowsAny<OperationCanceledException>(() => reading.GetAwaiter().GetResult());
        Assert.True(watch.Elapsed < StopBound, $"stopped after {watch.Elapsed.TotalMilliseconds:N0} ms");
        Assert.InRange(stream.Reads - readsWhenCancelled, 0, 1); // at most the read that was under way
    }

    [Theory]
    [InlineData("validate")]
    [InlineData("measure")]
    [InlineData("split")]
    public void Cancellation_stops_every_reader_inside_the_long_line_of_a_sparse_file_within_a_second(string what)
    {
        using var dir = new TempDirectory();
        string path = dir.File("sparse.jsonl");
        using (var file = new FileStream(path, FileMode.CreateNew))
        {
            file.SetLength(64L * 1024 * 1024 * 1024); // 64 GB of zero bytes, no newline
        }
        using var cancel = new CancellationTokenSource();
        var progressed = new ManualResetEventSlim();
        Action<long, long> progress = (done, _) =>
        {
            if (done > 0)
            {
                progressed.Set();
            }
        };
        Task work = Task.Factory.StartNew(() =>
        {
            switch (what)
            {
                case "validate":
                    DatasetValidator.ValidateFile(path, new DatasetValidationOptions { Progress = progress }, cancel.Token).ToList();
                    break;
                case "measure":
                    new DatasetMeasurer(TokenEncoding.Get("o200k_base"), null).Measure(path, null, progress, cancel.Token);
                    break;
                default:
                    progressed.Set();
                    DatasetSplitter.Split(path, 0.1, null, 1, cancellationToken: cancel.Token);
                    break;
            }
        }, TaskCreationOptions.LongRunning);
        Assert.True(progressed.Wait(TimeSpan.FromSeconds(60)) || work.IsCompleted, "reading did not start");
        Thread.Sleep(100);
        // Validation and measurement are skipping the rest of the 64 GB line now (a split has
        // already refused it: a line past the limit ends a split at once).
        Assert.True(what == "split" || !work.IsCompleted, $"{what} ended before it was cancelled");
        var watch = Stopwatch.StartNew();
        cancel.Cancel();
        Exception? error = Record.Exception(() => work.GetAwaiter().GetResult());
        watch.Stop();
        Assert.True(error is OperationCanceledException || (error is FineTuneException f && f.ErrorId == "FineTune.Dataset.LineTooLong"),
            $"unexpected: {error}");
        Assert.True(watch.Elapsed < StopBound, $"{what} stopped after {watch.Elapsed.TotalMilliseconds:N0} ms");
    }

    /// <summary>A stream of zero bytes without end or length, like a pipe from /dev/zero.</summary>
    private sealed class EndlessZeros : Stream
    {
        private int _reads;

        public ManualResetEventSlim ReadsStarted { get; } = new();

        public int Reads => Volatile.Read(ref _reads);

        public override int Read(byte[] buffer, int offset, int count)
        {
            Interlocked.Increment(ref _reads);
            Array.Clear(buffer, offset, count);
            ReadsStarted.Set();
            return count;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
