using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Threading;

namespace FineTune.Datasets;

/// <summary>
/// Finds lines that repeat an earlier line exactly, in memory that does not grow with the
/// input: every line's 128-bit fingerprint and number go through an
/// <see cref="ExternalSorter{T, TComparer}"/>, so equal fingerprints come out side by side
/// with the first line first; the repeats (line, first line) are sorted again by line so they
/// are reported in file order. One pass over the input; temporary disk space of 24 bytes per
/// line only when there are more than <see cref="DefaultBufferRecords"/> lines.
/// </summary>
internal sealed class DuplicateFinder : IDisposable
{
    /// <summary>Fingerprints held in memory (24 MB) before they are spilled to disk.</summary>
    internal const int DefaultBufferRecords = 1 << 20;

    private readonly ExternalSorter<Fingerprint, FingerprintOrder> _fingerprints;
    private readonly int _bufferRecords;

    public DuplicateFinder(int bufferRecords = DefaultBufferRecords)
    {
        _bufferRecords = bufferRecords;
        _fingerprints = new ExternalSorter<Fingerprint, FingerprintOrder>(bufferRecords);
    }

    /// <summary>Runs written to disk so far (for tests and benchmarks).</summary>
    public int SpilledRuns => _fingerprints.SpilledRuns;

    public void Observe(long line, ReadOnlySpan<byte> bytes) => Observe(line, LineHash.Of(bytes));

    /// <summary>Records a line by the fingerprint of its bytes (<see cref="LineHash.Of"/>), made elsewhere.</summary>
    public void Observe(long line, LineHash hash) => _fingerprints.Add(new Fingerprint(hash.High, hash.Low, line));

    /// <summary>Every line that repeats an earlier one, with the first line it repeats, in line order; call once, after the last line.</summary>
    public IEnumerable<(long Line, long First)> Duplicates(CancellationToken cancellationToken = default)
    {
        using var repeats = new ExternalSorter<Repeat, RepeatOrder>(_bufferRecords);
        bool any = false;
        Fingerprint group = default;
        foreach (Fingerprint fingerprint in _fingerprints.Sorted(cancellationToken))
        {
            if (any && fingerprint.High == group.High && fingerprint.Low == group.Low)
            {
                repeats.Add(new Repeat(fingerprint.Line, group.Line));
                continue;
            }
            group = fingerprint;
            any = true;
        }
        foreach (Repeat repeat in repeats.Sorted(cancellationToken))
        {
            yield return (repeat.Line, repeat.First);
        }
    }

    public void Dispose() => _fingerprints.Dispose();

    [StructLayout(LayoutKind.Sequential)]
    private readonly struct Fingerprint
    {
        public Fingerprint(ulong high, ulong low, long line)
        {
            High = high;
            Low = low;
            Line = line;
        }

        public ulong High { get; }
        public ulong Low { get; }
        public long Line { get; }
    }

    private readonly struct FingerprintOrder : IComparer<Fingerprint>
    {
        public int Compare(Fingerprint x, Fingerprint y)
        {
            int order = x.High.CompareTo(y.High);
            if (order == 0)
            {
                order = x.Low.CompareTo(y.Low);
            }
            return order != 0 ? order : x.Line.CompareTo(y.Line);
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private readonly struct Repeat
    {
        public Repeat(long line, long first)
        {
            Line = line;
            First = first;
        }

        public long Line { get; }
        public long First { get; }
    }

    private readonly struct RepeatOrder : IComparer<Repeat>
    {
        public int Compare(Repeat x, Repeat y) => x.Line.CompareTo(y.Line);
    }
}
