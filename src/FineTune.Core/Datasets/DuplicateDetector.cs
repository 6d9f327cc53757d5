using System;
using System.Collections.Generic;

namespace FineTune.Datasets;

/// <summary>
/// Finds lines that repeat an earlier line exactly, in memory that does not grow with the
/// file: pass one puts every line's 128-bit fingerprint into a fixed-size Bloom filter and
/// keeps only the lines whose fingerprint may have been seen (candidates); pass two
/// (<see cref="BeginConfirmation"/>, <see cref="Confirm"/>) re-reads the file and reports a
/// candidate only when an earlier line really has the same fingerprint.
/// </summary>
internal sealed class DuplicateDetector
{
    private const int HashCount = 3;
    private readonly ulong[] _bits;
    private readonly ulong _mask;
    private readonly List<(long Line, LineHash Hash)> _candidates = new();
    private Dictionary<LineHash, long>? _firstLine;
    private HashSet<long>? _candidateLines;

    /// <param name="expectedBytes">The file's length: small files get a small filter; the filter never exceeds 8 MB.</param>
    public DuplicateDetector(long expectedBytes)
    {
        int log2Bits = 16;
        while (log2Bits < 26 && (1L << log2Bits) < expectedBytes)
        {
            log2Bits++;
        }
        _bits = new ulong[(1L << log2Bits) / 64];
        _mask = (1UL << log2Bits) - 1;
    }

    public bool HasCandidates => _candidates.Count > 0;

    /// <summary>Pass one: records the line; true when it may repeat an earlier one.</summary>
    public bool Observe(long line, ReadOnlySpan<byte> bytes)
    {
        LineHash hash = LineHash.Of(bytes);
        bool seen = true;
        ulong step = hash.Low | 1;
        ulong position = hash.High;
        for (int i = 0; i < HashCount; i++, position += step)
        {
            ulong bit = position & _mask;
            ulong word = _bits[bit >> 6];
            ulong flag = 1UL << (int)(bit & 63);
            if ((word & flag) == 0)
            {
                seen = false;
                _bits[bit >> 6] = word | flag;
            }
        }
        if (seen)
        {
            _candidates.Add((line, hash));
        }
        return seen;
    }

    /// <summary>Ends pass one; pass two then calls <see cref="Confirm"/> for every line in order.</summary>
    public void BeginConfirmation()
    {
        _firstLine = new Dictionary<LineHash, long>();
        _candidateLines = new HashSet<long>();
        foreach ((long line, LineHash hash) in _candidates)
        {
            _firstLine[hash] = -1;
            _candidateLines.Add(line);
        }
    }

    /// <summary>Pass two: the earlier line <paramref name="line"/> repeats, or null.</summary>
    public long? Confirm(long line, ReadOnlySpan<byte> bytes)
    {
        if (_firstLine is null || _candidateLines is null)
        {
            throw new InvalidOperationException("BeginConfirmation was not called.");
        }
        LineHash hash = LineHash.Of(bytes);
        if (!_firstLine.TryGetValue(hash, out long first))
        {
            return null;
        }
        if (first < 0)
        {
            _firstLine[hash] = line;
            return null;
        }
        return _candidateLines.Contains(line) ? first : null;
    }
}

/// <summary>
/// One-pass duplicate finding for examples that cannot be read twice (pipeline input): keeps
/// a 128-bit fingerprint per example, never the example itself.
/// </summary>
internal sealed class InMemoryDuplicateDetector
{
    private readonly Dictionary<LineHash, long> _firstLine = new();

    public long? Observe(long line, ReadOnlySpan<byte> bytes)
    {
        LineHash hash = LineHash.Of(bytes);
        if (_firstLine.TryGetValue(hash, out long first))
        {
            return first;
        }
        _firstLine.Add(hash, line);
        return null;
    }
}
