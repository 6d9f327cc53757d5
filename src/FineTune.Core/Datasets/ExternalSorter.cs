using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;

namespace FineTune.Datasets;

/// <summary>
/// Sorts any number of fixed-size records in bounded memory: records collect in a buffer of
/// at most <c>bufferRecords</c>; a full buffer is sorted and appended to a temporary file as a
/// run, and <see cref="Sorted"/> merges the runs (at most <see cref="MaxMergeWidth"/> at a time,
/// each read through a small window). Inputs that fit the buffer never touch the disk.
/// </summary>
/// <remarks>
/// The temporary file lives in the system's temporary folder (<c>TMPDIR</c> / <c>TEMP</c>), is
/// deleted when the sorter is disposed, and on Unix is unlinked as soon as it is created, so
/// not even a killed process leaves it behind.
/// </remarks>
internal sealed class ExternalSorter<T, TComparer> : IDisposable
    where T : unmanaged
    where TComparer : struct, IComparer<T>
{
    internal const int MaxMergeWidth = 64;
    private const int WindowBytes = 64 * 1024;
    private const int InitialRecords = 1024;

    private static readonly int RecordSize = Marshal.SizeOf<T>();

    private readonly int _bufferRecords;
    private readonly List<Run> _runs = new();
    private T[] _buffer;
    private int _count;
    private FileStream? _spill;
    private long _spillLength;
    private bool _sorting;

    /// <param name="bufferRecords">Records kept in memory before a run is written to disk.</param>
    public ExternalSorter(int bufferRecords)
    {
        _bufferRecords = Math.Max(2, bufferRecords);
        _buffer = new T[Math.Min(InitialRecords, _bufferRecords)];
    }

    /// <summary>Runs written to disk so far (0 while everything fits in memory).</summary>
    public int SpilledRuns => _runs.Count;

    public void Add(in T record)
    {
        if (_sorting)
        {
            throw new InvalidOperationException("Records cannot be added once sorting has begun.");
        }
        if (_count == _buffer.Length)
        {
            if (_buffer.Length < _bufferRecords)
            {
                Array.Resize(ref _buffer, (int)Math.Min((long)_buffer.Length * 2, _bufferRecords));
            }
            else
            {
                SpillBuffer();
            }
        }
        _buffer[_count++] = record;
    }

    /// <summary>Every record added, in order; enumerate once.</summary>
    public IEnumerable<T> Sorted(CancellationToken cancellationToken = default)
    {
        _sorting = true;
        if (_runs.Count == 0)
        {
            StructSort.Sort<T, TComparer>(_buffer.AsSpan(0, _count));
            for (int i = 0; i < _count; i++)
            {
                if ((i & 0xFFFF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }
                yield return _buffer[i];
            }
            yield break;
        }
        if (_count > 0)
        {
            SpillBuffer();
        }
        _buffer = Array.Empty<T>();
        while (_runs.Count > MaxMergeWidth)
        {
            List<Run> group = _runs.GetRange(0, MaxMergeWidth);
            _runs.RemoveRange(0, MaxMergeWidth);
            long start = _spillLength;
            long records = 0;
            using (var output = new RunWriter(this))
            {
                foreach (T record in Merge(group, cancellationToken))
                {
                    output.Write(record);
                    records++;
                }
            }
            _runs.Add(new Run(start, records));
        }
        foreach (T record in Merge(_runs, cancellationToken))
        {
            yield return record;
        }
    }

    private void SpillBuffer()
    {
        StructSort.Sort<T, TComparer>(_buffer.AsSpan(0, _count));
        long start = _spillLength;
        using (var output = new RunWriter(this))
        {
            for (int i = 0; i < _count; i++)
            {
                output.Write(_buffer[i]);
            }
        }
        _runs.Add(new Run(start, _count));
        _count = 0;
    }

    private IEnumerable<T> Merge(List<Run> runs, CancellationToken cancellationToken)
    {
        var readers = new List<RunReader>(runs.Count);
        try
        {
            foreach (Run run in runs)
            {
                var reader = new RunReader(this, run);
                if (reader.MoveNext())
                {
                    readers.Add(reader);
                }
                else
                {
                    reader.Dispose();
                }
            }
            var heap = new MinHeap(readers);
            long produced = 0;
            while (heap.Count > 0)
            {
                if ((produced++ & 0xFFFF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }
                RunReader smallest = heap.Peek();
                yield return smallest.Current;
                if (smallest.MoveNext())
                {
                    heap.SiftDownTop();
                }
                else
                {
                    heap.RemoveTop();
                }
            }
        }
        finally
        {
            foreach (RunReader reader in readers)
            {
                reader.Dispose();
            }
        }
    }

    private FileStream Spill()
    {
        if (_spill is null)
        {
            string path = Path.Combine(Path.GetTempPath(), "finetune-" + Guid.NewGuid().ToString("N") + ".sort");
            try
            {
                _spill = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Delete, 1, FileOptions.DeleteOnClose);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw TempFailed(ex);
            }
            try
            {
                File.Delete(path); // Unix: gone from the folder at once, readable through the handle
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Windows keeps it until the handle closes (DeleteOnClose).
            }
        }
        return _spill;
    }

    private static FineTuneException TempFailed(Exception ex) =>
        new(AtomicFileWriter.WriteFailedId, FailureKind.WriteError,
            $"The temporary file in '{Path.GetTempPath()}' that holds the fingerprint of every line (24 bytes each) while duplicates are found failed: {ex.Message}",
            Path.GetTempPath(), "Free space there, or set TMPDIR (TEMP on Windows) to a folder with room.", ex);

    public void Dispose()
    {
        _spill?.Dispose();
        _spill = null;
        _buffer = Array.Empty<T>();
    }

    private readonly struct Run
    {
        public Run(long offset, long records)
        {
            Offset = offset;
            Records = records;
        }

        public long Offset { get; }
        public long Records { get; }
    }

    /// <summary>Appends records to the end of the spill file through a pooled window.</summary>
    private sealed class RunWriter : IDisposable
    {
        private readonly ExternalSorter<T, TComparer> _owner;
        private readonly byte[] _window = ArrayPool<byte>.Shared.Rent(WindowBytes);
        private readonly int _capacity;
        private int _used;

        public RunWriter(ExternalSorter<T, TComparer> owner)
        {
            _owner = owner;
            _capacity = WindowBytes / RecordSize * RecordSize;
        }

        public void Write(T record)
        {
            if (_used + RecordSize > _capacity)
            {
                Flush();
            }
#if NET8_0_OR_GREATER
            MemoryMarshal.Write(_window.AsSpan(_used), in record);
#else
            MemoryMarshal.Write(_window.AsSpan(_used), ref record);
#endif
            _used += RecordSize;
        }

        private void Flush()
        {
            if (_used == 0)
            {
                return;
            }
            FileStream spill = _owner.Spill();
            try
            {
                spill.Seek(_owner._spillLength, SeekOrigin.Begin);
                spill.Write(_window, 0, _used);
            }
            catch (IOException ex)
            {
                throw TempFailed(ex);
            }
            _owner._spillLength += _used;
            _used = 0;
        }

        public void Dispose()
        {
            Flush();
            ArrayPool<byte>.Shared.Return(_window);
        }
    }

    /// <summary>Reads one run back through a pooled window.</summary>
    private sealed class RunReader : IDisposable
    {
        private readonly ExternalSorter<T, TComparer> _owner;
        private readonly byte[] _window = ArrayPool<byte>.Shared.Rent(WindowBytes);
        private long _next;      // file offset of the next unread byte of the run
        private long _remaining; // records of the run not yet read into the window
        private int _position;
        private int _filled;

        public RunReader(ExternalSorter<T, TComparer> owner, Run run)
        {
            _owner = owner;
            _next = run.Offset;
            _remaining = run.Records;
        }

        public T Current { get; private set; }

        public bool MoveNext()
        {
            if (_position == _filled)
            {
                if (_remaining == 0)
                {
                    return false;
                }
                int records = (int)Math.Min(_remaining, WindowBytes / RecordSize);
                int bytes = records * RecordSize;
                FileStream spill = _owner._spill!;
                try
                {
                    spill.Seek(_next, SeekOrigin.Begin);
                    int read = 0;
                    while (read < bytes)
                    {
                        int n = spill.Read(_window, read, bytes - read);
                        if (n == 0)
                        {
                            throw new IOException("it ended early");
                        }
                        read += n;
                    }
                }
                catch (IOException ex)
                {
                    throw TempFailed(ex);
                }
                _next += bytes;
                _remaining -= records;
                _position = 0;
                _filled = bytes;
            }
            Current = MemoryMarshal.Read<T>(_window.AsSpan(_position));
            _position += RecordSize;
            return true;
        }

        public void Dispose() => ArrayPool<byte>.Shared.Return(_window);
    }

    /// <summary>A binary min-heap of run readers ordered by their current record.</summary>
    private sealed class MinHeap
    {
        private readonly List<RunReader> _items;

        public MinHeap(List<RunReader> items)
        {
            _items = new List<RunReader>(items);
            for (int i = _items.Count / 2 - 1; i >= 0; i--)
            {
                SiftDown(i);
            }
        }

        public int Count => _items.Count;

        public RunReader Peek() => _items[0];

        public void SiftDownTop() => SiftDown(0);

        public void RemoveTop()
        {
            int last = _items.Count - 1;
            _items[0] = _items[last];
            _items.RemoveAt(last);
            if (_items.Count > 0)
            {
                SiftDown(0);
            }
        }

        private void SiftDown(int index)
        {
            TComparer comparer = default;
            while (true)
            {
                int left = index * 2 + 1;
                if (left >= _items.Count)
                {
                    return;
                }
                int smallest = left + 1 < _items.Count && comparer.Compare(_items[left + 1].Current, _items[left].Current) < 0 ? left + 1 : left;
                if (comparer.Compare(_items[smallest].Current, _items[index].Current) >= 0)
                {
                    return;
                }
                (_items[index], _items[smallest]) = (_items[smallest], _items[index]);
                index = smallest;
            }
        }
    }
}
