using System;
using System.Buffers;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace FineTune.Datasets;

/// <summary>
/// Reads a JSONL file on one thread while batches of its lines are processed on every core,
/// and hands back the batches in line order. Memory is bounded whatever the file: at most
/// <see cref="BytesInFlight"/> of lines are copied out of the reader at a time (a line longer
/// than that waits until it is alone), and a slow consumer stops the reading.
/// </summary>
internal static class ParallelLines
{
    /// <summary>Lines copied out of the reader and not yet given back by the consumer.</summary>
    internal const int BytesInFlight = 16 * Unit;

    private const int Unit = 1 << 20;
    private const int BatchBytes = Unit;
    private const int BatchLines = 1024;

    /// <summary>
    /// Processes every line of <paramref name="reader"/> with <paramref name="process"/>, on up
    /// to <paramref name="degreeOfParallelism"/> threads, and yields the batches in line order.
    /// A batch's lines and results are valid until the next batch is asked for. A failure of the
    /// reader is thrown after the batches read before it; a failure of <paramref name="process"/>
    /// is thrown in its batch's place. Stopping the enumeration stops the reading.
    /// </summary>
    public static IEnumerable<LineBatch<T>> Process<T>(JsonlReader reader, int degreeOfParallelism, Func<JsonlLine, T> process,
        CancellationToken cancellationToken)
    {
        int degree = Math.Max(1, degreeOfParallelism);
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var ready = new BlockingCollection<Task<LineBatch<T>>>(degree * 2);
        // Neither is disposed: a batch still being processed after a stop releases them later.
        var running = new SemaphoreSlim(degree);
        var memory = new SemaphoreSlim(BytesInFlight / Unit);
        // A dedicated thread: it blocks while batches are in flight, and the thread pool's
        // workers (as many as cores at first) all stay free for processing.
        Task reading = Task.Factory.StartNew(() => ReadBatches(reader, process, ready, running, memory, stopping.Token),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            foreach (Task<LineBatch<T>> processing in ready.GetConsumingEnumerable(stopping.Token))
            {
                LineBatch<T> batch = processing.GetAwaiter().GetResult();
                try
                {
                    yield return batch;
                }
                finally
                {
                    batch.Release();
                    memory.Release(batch.MemoryUnits);
                }
            }
            reading.GetAwaiter().GetResult();
        }
        finally
        {
            stopping.Cancel();
            try
            {
                reading.Wait(CancellationToken.None);
            }
            catch (AggregateException)
            {
                // Stopped early, or failed after a failure already thrown: the first one is the one to report.
            }
        }
    }

    private static void ReadBatches<T>(JsonlReader reader, Func<JsonlLine, T> process, BlockingCollection<Task<LineBatch<T>>> ready,
        SemaphoreSlim running, SemaphoreSlim memory, CancellationToken cancellationToken)
    {
        LineBatch<T>? batch = null;
        try
        {
            while (reader.Read())
            {
                cancellationToken.ThrowIfCancellationRequested();
                int length = reader.IsTooLong ? 0 : reader.Line.Length;
                if (batch is not null && !batch.Fits(length))
                {
                    Dispatch(batch, process, ready, running, cancellationToken);
                    batch = null;
                }
                if (batch is null)
                {
                    int capacity = Math.Max(BatchBytes, length);
                    int units = Math.Min(BytesInFlight / Unit, (capacity + Unit - 1) / Unit);
                    for (int i = 0; i < units; i++)
                    {
                        memory.Wait(cancellationToken);
                    }
                    batch = new LineBatch<T>(capacity, units, BatchLines);
                }
                batch.Add(reader);
                if (reader.IsTooLong)
                {
                    // Most of the bytes read went by without filling the batch: report them now.
                    Dispatch(batch, process, ready, running, cancellationToken);
                    batch = null;
                }
            }
            if (batch is not null)
            {
                Dispatch(batch, process, ready, running, cancellationToken);
                batch = null;
            }
        }
        finally
        {
            batch?.Release();
            ready.CompleteAdding();
        }
    }

    private static void Dispatch<T>(LineBatch<T> batch, Func<JsonlLine, T> process, BlockingCollection<Task<LineBatch<T>>> ready,
        SemaphoreSlim running, CancellationToken cancellationToken)
    {
        running.Wait(cancellationToken);
        Task<LineBatch<T>> processing = Task.Run(() =>
        {
            try
            {
                batch.ProcessAll(process);
                return batch;
            }
            finally
            {
                running.Release();
            }
        });
        ready.Add(processing, cancellationToken);
    }
}

/// <summary>One non-blank line of a JSONL file, as <see cref="ParallelLines"/> hands it to a worker.</summary>
internal readonly struct JsonlLine
{
    public JsonlLine(long number, ReadOnlyMemory<byte> bytes, string? tooLong)
    {
        Number = number;
        Bytes = bytes;
        TooLong = tooLong;
    }

    /// <summary>1-based line number in the file.</summary>
    public long Number { get; }

    /// <summary>The line without its line end; empty when it is too long.</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>For a line over the limit, what the reader says of it ("is longer than ..."); otherwise null.</summary>
    public string? TooLong { get; }
}

/// <summary>Consecutive lines of a file and what was made of each, in line order.</summary>
internal sealed class LineBatch<T>
{
    private byte[]? _buffer;
    private int _used;

    internal LineBatch(int capacity, int memoryUnits, int maxLines)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(capacity);
        MemoryUnits = memoryUnits;
        Lines = new JsonlLine[maxLines];
        Results = Array.Empty<T>();
    }

    public JsonlLine[] Lines { get; }

    public T[] Results { get; private set; }

    public int Count { get; private set; }

    /// <summary>Bytes the reader had taken from the file when this batch was complete (for progress).</summary>
    public long BytesRead { get; private set; }

    internal int MemoryUnits { get; }

    internal bool Fits(int length) => Count < Lines.Length && _used + length <= _buffer!.Length;

    internal void Add(JsonlReader reader)
    {
        if (reader.IsTooLong)
        {
            Lines[Count++] = new JsonlLine(reader.LineNumber, ReadOnlyMemory<byte>.Empty, reader.DescribeTooLong());
        }
        else
        {
            ReadOnlySpan<byte> line = reader.Line;
            line.CopyTo(_buffer.AsSpan(_used));
            Lines[Count++] = new JsonlLine(reader.LineNumber, new ReadOnlyMemory<byte>(_buffer, _used, line.Length), null);
            _used += line.Length;
        }
        BytesRead = reader.BytesRead;
    }

    internal void ProcessAll(Func<JsonlLine, T> process)
    {
        var results = new T[Count];
        for (int i = 0; i < results.Length; i++)
        {
            results[i] = process(Lines[i]);
        }
        Results = results;
    }

    internal void Release()
    {
        byte[]? buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
