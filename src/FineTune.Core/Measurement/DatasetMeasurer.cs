using System;
using System.IO;
using System.Threading;
using FineTune.Datasets;
using FineTune.Tokens;

namespace FineTune.Measurement;

/// <summary>
/// Measures whole JSONL training files: one thread reads lines, batches of lines are counted
/// in parallel on every core, and results come back in line order (<see cref="ParallelLines"/>).
/// Memory is bounded by the lines in flight and the line limit, whatever the file size; the
/// exact medians and percentiles come from histograms of the counts.
/// </summary>
public sealed class DatasetMeasurer
{
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
    /// <param name="onProgress">Called with (bytes read, file length) on the calling thread, after each batch of lines.</param>
    /// <param name="cancellationToken">Stops the work.</param>
    /// <exception cref="FineTuneException">The file cannot be opened or read.</exception>
    public DatasetMeasurement Measure(string path, Action<LineMeasurement>? onLine = null, Action<long, long>? onProgress = null,
        CancellationToken cancellationToken = default)
    {
        var statistics = new DatasetStatisticsBuilder(_tokenLimit);
        using FileStream stream = Open(path);
        long length = stream.Length;
        using var reader = new JsonlReader(stream, ownsStream: false, MaxLineBytes, cancellationToken);
        long reported = 0;
        try
        {
            foreach (LineBatch<LineMeasurement> batch in ParallelLines.Process(reader, MaxDegreeOfParallelism, line => Count(path, line), cancellationToken))
            {
                for (int i = 0; i < batch.Count; i++)
                {
                    statistics.Add(batch.Results[i]);
                    onLine?.Invoke(batch.Results[i]);
                }
                if (onProgress is not null && batch.BytesRead != reported)
                {
                    reported = batch.BytesRead;
                    onProgress(reported, Math.Max(length, reported));
                }
            }
        }
        catch (IOException ex)
        {
            throw ReadFailed(path, ex);
        }
        return statistics.Build(path, _model, _encoding);
    }

    /// <summary>One line's count, or the error of a line that cannot be counted (too long, not UTF-8).</summary>
    private LineMeasurement Count(string path, JsonlLine line)
    {
        if (line.TooLong is string tooLong)
        {
            return ExampleTokenCounter.Failed(path, line.Number, tooLong,
                "Split or shorten the example; a training example that long is far over any model's token limit.");
        }
        ReadOnlySpan<byte> bytes = line.Bytes.Span;
        int invalid = Utf8Validation.IndexOfInvalid(bytes);
        if (invalid >= 0)
        {
            return ExampleTokenCounter.Failed(path, line.Number,
                $"is not valid UTF-8 (byte 0x{bytes[invalid]:X2} at column {Utf8Validation.ColumnOf(bytes, invalid)})",
                "Save the file as UTF-8 (not ANSI or UTF-16).");
        }
        return _counter.Count(path, line.Number, line.Bytes);
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

    private static FineTuneException ReadFailed(string path, Exception ex) =>
        new("FineTune.Measure.ReadFailed", FailureKind.ReadError, $"Cannot read '{path}': {ex.Message}", path, "Check that the file is readable and not locked.", ex);
}
