using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using FineTune.Datasets;
using FineTune.Tokens;

namespace FineTune.Measurement;

/// <summary>
/// Measures whole JSONL training files: one thread reads lines, batches of lines are counted
/// in parallel on every core, and results come back in line order. Memory is bounded by a
/// few batches in flight and the line limit, whatever the file size; the exact medians and
/// percentiles come from histograms of the counts.
/// </summary>
public sealed class DatasetMeasurer
{
    private const int BatchLines = 512;
    private const int BatchBytes = 1 << 20;

    private readonly ExampleTokenCounter _counter;
    private readonly string _encoding;
    private readonly int? _tokenLimit;
    private readonly string? _model;

    /// <param name="encoding">The model's token encoding.</param>
    /// <param name="tokenLimit">Most tokens per example, or null when unknown (nothing is over the limit).</param>
    /// <param name="model">The catalog model the encoding and limit came from, reported in the result.</param>
    public DatasetMeasurer(TokenEncoding encoding, int? tokenLimit, string? model = null)
    {
        _counter = new ExampleTokenCounter(encoding, tokenLimit);
        _encoding = encoding.Name;
        _tokenLimit = tokenLimit;
        _model = model;
    }

    /// <summary>Parallelism used for counting; all cores by default.</summary>
    public int MaxDegreeOfParallelism { get; set; } = Environment.ProcessorCount;

    /// <summary>Longest line counted; a longer one is reported as that line's error. Lowered by tests.</summary>
    internal int MaxLineBytes { get; set; } = JsonlReader.DefaultMaxLineBytes;

    /// <summary>
    /// Counts every line of <paramref name="path"/> and returns the file's statistics. The calling
    /// thread waits for results; call it from a dedicated thread rather than a thread-pool worker,
    /// which counting needs.
    /// </summary>
    /// <param name="path">A JSONL training file.</param>
    /// <param name="onLine">Called in line order, on the calling thread, for every non-blank line.</param>
    /// <param name="onProgress">Called with (bytes read, file length) from the reading thread.</param>
    /// <param name="cancellationToken">Stops the work.</param>
    /// <exception cref="FineTuneException">The file cannot be opened or read.</exception>
    public DatasetMeasurement Measure(string path, Action<LineMeasurement>? onLine = null, Action<long, long>? onProgress = null,
        CancellationToken cancellationToken = default)
    {
        var statistics = new DatasetStatisticsBuilder(_tokenLimit);
        using FileStream stream = Open(path);
        long length = stream.Length;
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var inFlight = new BlockingCollection<Task<LineMeasurement[]>>(Math.Max(2, MaxDegreeOfParallelism * 2));
        // Not disposed: counting tasks still running after a cancellation release it later.
        var throttle = new SemaphoreSlim(Math.Max(1, MaxDegreeOfParallelism));
        // The reader blocks while batches are in flight: a dedicated thread, so the thread pool's
        // workers (as many as cores at first) all stay free for counting.
        Task reader = Task.Factory.StartNew(() => ReadBatches(stream, path, length, inFlight, throttle, onProgress, stopping.Token),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            foreach (Task<LineMeasurement[]> batch in inFlight.GetConsumingEnumerable(stopping.Token))
            {
                foreach (LineMeasurement line in batch.GetAwaiter().GetResult())
                {
                    statistics.Add(line);
                    onLine?.Invoke(line);
                }
            }
        }
        catch
        {
            stopping.Cancel();
            try
            {
                reader.GetAwaiter().GetResult();
            }
            catch (Exception)
            {
                // The first failure is the one to report.
            }
            throw;
        }
        reader.GetAwaiter().GetResult();
        return statistics.Build(path, _model, _encoding);
    }

    private void ReadBatches(FileStream stream, string path, long length, BlockingCollection<Task<LineMeasurement[]>> inFlight,
        SemaphoreSlim throttle, Action<long, long>? onProgress, CancellationToken cancellationToken)
    {
        try
        {
            using var reader = new JsonlReader(stream, ownsStream: false, MaxLineBytes, cancellationToken);
            var batch = new List<PendingLine>(BatchLines);
            long batchBytes = 0;
            long reported = 0;
            while (Read(reader, path))
            {
                cancellationToken.ThrowIfCancellationRequested();
                batch.Add(Pending(reader, path));
                batchBytes += reader.LineByteCount;
                if (onProgress is not null && reader.BytesRead != reported)
                {
                    reported = reader.BytesRead;
                    onProgress(reported, Math.Max(length, reported));
                }
                if (batch.Count >= BatchLines || batchBytes >= BatchBytes)
                {
                    Dispatch(batch.ToArray(), path, inFlight, throttle, cancellationToken);
                    batch.Clear();
                    batchBytes = 0;
                }
            }
            if (onProgress is not null && reader.BytesRead != reported)
            {
                onProgress(reader.BytesRead, Math.Max(length, reader.BytesRead));
            }
            if (batch.Count > 0)
            {
                Dispatch(batch.ToArray(), path, inFlight, throttle, cancellationToken);
            }
        }
        finally
        {
            inFlight.CompleteAdding();
        }
    }

    /// <summary>A line to count, or the error of a line that cannot be (too long, not UTF-8).</summary>
    private PendingLine Pending(JsonlReader reader, string path)
    {
        long number = reader.LineNumber;
        if (reader.IsTooLong)
        {
            return new PendingLine(number, null, ExampleTokenCounter.Failed(path, number,
                reader.DescribeTooLong(),
                "Split or shorten the example; a training example that long is far over any model's token limit."));
        }
        int invalid = reader.InvalidUtf8Index;
        if (invalid >= 0)
        {
            ReadOnlySpan<byte> line = reader.Line;
            return new PendingLine(number, null, ExampleTokenCounter.Failed(path, number,
                $"is not valid UTF-8 (byte 0x{line[invalid]:X2} at column {Utf8Validation.ColumnOf(line, invalid)})",
                "Save the file as UTF-8 (not ANSI or UTF-16)."));
        }
        return new PendingLine(number, reader.Line.ToArray(), null);
    }

    private void Dispatch(PendingLine[] lines, string path, BlockingCollection<Task<LineMeasurement[]>> inFlight, SemaphoreSlim throttle,
        CancellationToken cancellationToken)
    {
        throttle.Wait(cancellationToken);
        Task<LineMeasurement[]> counting = Task.Run(() =>
        {
            try
            {
                var results = new LineMeasurement[lines.Length];
                for (int i = 0; i < lines.Length; i++)
                {
                    results[i] = lines[i].Failure ?? _counter.Count(path, lines[i].Number, lines[i].Bytes);
                }
                return results;
            }
            finally
            {
                throttle.Release();
            }
        });
        inFlight.Add(counting, cancellationToken);
    }

    private static bool Read(JsonlReader reader, string path)
    {
        try
        {
            return reader.Read();
        }
        catch (IOException ex)
        {
            throw ReadFailed(path, ex);
        }
    }

    private static FileStream Open(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new FineTuneException("FineTune.Measure.FileNotFound", FailureKind.ObjectNotFound, $"Cannot find the file '{path}'.", path, "Check the path.", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw ReadFailed(path, ex);
        }
    }

    private readonly struct PendingLine
    {
        public PendingLine(long number, byte[]? bytes, LineMeasurement? failure)
        {
            Number = number;
            Bytes = bytes ?? Array.Empty<byte>();
            Failure = failure;
        }

        public long Number { get; }

        public byte[] Bytes { get; }

        public LineMeasurement? Failure { get; }
    }

    private static FineTuneException ReadFailed(string path, Exception ex) =>
        new("FineTune.Measure.ReadFailed", FailureKind.ReadError, $"Cannot read '{path}': {ex.Message}", path, "Check that the file is readable and not locked.", ex);
}
