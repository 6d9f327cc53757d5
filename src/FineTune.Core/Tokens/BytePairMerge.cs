using System;
using System.Buffers;
using System.Runtime.CompilerServices;

namespace FineTune.Tokens;

/// <summary>
/// tiktoken's byte-pair merge of one piece that is not itself a token: repeatedly join the
/// adjacent pair whose joined bytes have the lowest rank, the leftmost one on a tie, until no
/// joined pair is a token. Short pieces use tiktoken's own quadratic scan over small arrays;
/// long ones a heap over a linked list, which merges in exactly the same order.
/// </summary>
internal static class BytePairMerge
{
    /// <summary>Longest piece handled by the array scan (stack memory: 12 bytes per byte).</summary>
    internal const int ShortPieceLimit = 128;

    [MethodImpl(HotPath.Optimize)]
    public static void Merge<TSink>(BpeRanks ranks, ReadOnlySpan<byte> piece, ref TSink sink)
        where TSink : struct, ITokenSink
    {
        if (piece.Length <= ShortPieceLimit)
        {
            MergeShort(ranks, piece, ref sink);
        }
        else
        {
            MergeLong(ranks, piece, ref sink);
        }
    }

    [MethodImpl(HotPath.Optimize)]
    internal static void MergeShort<TSink>(BpeRanks ranks, ReadOnlySpan<byte> piece, ref TSink sink)
        where TSink : struct, ITokenSink
    {
        Span<int> tokens = stackalloc int[piece.Length];
        int count = MergeShort(ranks, piece, tokens);
        for (int i = 0; i < count; i++)
        {
            sink.Add(tokens[i]);
        }
    }

    /// <summary>Merges a piece of at most <see cref="ShortPieceLimit"/> bytes; writes its tokens and returns how many.</summary>
    [MethodImpl(HotPath.Optimize)]
    internal static int MergeShort(BpeRanks ranks, ReadOnlySpan<byte> piece, Span<int> token)
    {
        int parts = piece.Length;
        Span<int> start = stackalloc int[parts + 1];
        Span<int> pairRank = stackalloc int[parts];
        int[] single = ranks.SingleBytes;
        for (int i = 0; i < parts; i++)
        {
            start[i] = i;
            token[i] = single[piece[i]];
        }
        start[parts] = parts;
        for (int i = 0; i < parts - 1; i++)
        {
            pairRank[i] = OrMax(ranks.Pair(piece[i], piece[i + 1]));
        }
        pairRank[parts - 1] = int.MaxValue;

        while (true)
        {
            int best = -1;
            int bestRank = int.MaxValue;
            for (int i = 0; i < parts - 1; i++)
            {
                if (pairRank[i] < bestRank)
                {
                    bestRank = pairRank[i];
                    best = i;
                }
            }
            if (best < 0)
            {
                break;
            }
            token[best] = bestRank;
            parts--;
            for (int i = best + 1; i < parts; i++)
            {
                start[i] = start[i + 1];
                token[i] = token[i + 1];
                pairRank[i] = pairRank[i + 1];
            }
            start[parts] = piece.Length;
            pairRank[best] = best + 1 < parts ? JoinedRank(ranks, piece, start[best], start[best + 2]) : int.MaxValue;
            if (best > 0)
            {
                pairRank[best - 1] = JoinedRank(ranks, piece, start[best - 1], start[best + 1]);
            }
        }
        return parts;
    }

    [MethodImpl(HotPath.Optimize)]
    internal static void MergeLong<TSink>(BpeRanks ranks, ReadOnlySpan<byte> piece, ref TSink sink)
        where TSink : struct, ITokenSink
    {
        int length = piece.Length;
        int[] next = ArrayPool<int>.Shared.Rent(length);
        int[] previous = ArrayPool<int>.Shared.Rent(length);
        int[] token = ArrayPool<int>.Shared.Rent(length);
        int[] pairRank = ArrayPool<int>.Shared.Rent(length);
        var heap = new MinHeap(length);
        try
        {
            int[] single = ranks.SingleBytes;
            for (int i = 0; i < length; i++)
            {
                next[i] = i + 1;
                previous[i] = i - 1;
                token[i] = single[piece[i]];
            }
            for (int i = 0; i < length - 1; i++)
            {
                pairRank[i] = OrMax(ranks.Pair(piece[i], piece[i + 1]));
                if (pairRank[i] != int.MaxValue)
                {
                    heap.Push(pairRank[i], i);
                }
            }
            pairRank[length - 1] = int.MaxValue;

            while (heap.TryPop(out int rank, out int part))
            {
                if (token[part] < 0 || pairRank[part] != rank)
                {
                    continue; // stale: the part was absorbed, or its right neighbour changed
                }
                int absorbed = next[part];
                token[part] = rank;
                token[absorbed] = -1;
                int after = next[absorbed];
                next[part] = after;
                if (after < length)
                {
                    previous[after] = part;
                    pairRank[part] = JoinedRank(ranks, piece, part, next[after]);
                    if (pairRank[part] != int.MaxValue)
                    {
                        heap.Push(pairRank[part], part);
                    }
                }
                else
                {
                    pairRank[part] = int.MaxValue;
                }
                int before = previous[part];
                if (before >= 0)
                {
                    pairRank[before] = JoinedRank(ranks, piece, before, after);
                    if (pairRank[before] != int.MaxValue)
                    {
                        heap.Push(pairRank[before], before);
                    }
                }
            }
            for (int i = 0; i < length; i = next[i])
            {
                sink.Add(token[i]);
            }
        }
        finally
        {
            heap.Dispose();
            ArrayPool<int>.Shared.Return(next);
            ArrayPool<int>.Shared.Return(previous);
            ArrayPool<int>.Shared.Return(token);
            ArrayPool<int>.Shared.Return(pairRank);
        }
    }

    private static int JoinedRank(BpeRanks ranks, ReadOnlySpan<byte> piece, int from, int to) =>
        OrMax(ranks.Lookup(piece.Slice(from, to - from)));

    private static int OrMax(int rank) => rank < 0 ? int.MaxValue : rank;

    /// <summary>A binary min-heap of (rank, position), ordered by rank then position.</summary>
    private struct MinHeap : IDisposable
    {
        private long[] _items;
        private int _count;

        public MinHeap(int capacity)
        {
            _items = ArrayPool<long>.Shared.Rent(Math.Max(capacity, 16));
            _count = 0;
        }

        public void Push(int rank, int position)
        {
            if (_count == _items.Length)
            {
                long[] larger = ArrayPool<long>.Shared.Rent(_items.Length * 2);
                Array.Copy(_items, larger, _count);
                ArrayPool<long>.Shared.Return(_items);
                _items = larger;
            }
            long item = ((long)rank << 32) | (uint)position;
            int i = _count++;
            while (i > 0)
            {
                int parent = (i - 1) >> 1;
                if (_items[parent] <= item)
                {
                    break;
                }
                _items[i] = _items[parent];
                i = parent;
            }
            _items[i] = item;
        }

        public bool TryPop(out int rank, out int position)
        {
            if (_count == 0)
            {
                rank = position = 0;
                return false;
            }
            long top = _items[0];
            long last = _items[--_count];
            int i = 0;
            while (true)
            {
                int child = (2 * i) + 1;
                if (child >= _count)
                {
                    break;
                }
                if (child + 1 < _count && _items[child + 1] < _items[child])
                {
                    child++;
                }
                if (last <= _items[child])
                {
                    break;
                }
                _items[i] = _items[child];
                i = child;
            }
            _items[i] = last;
            rank = (int)(top >> 32);
            position = (int)(uint)top;
            return true;
        }

        public void Dispose() => ArrayPool<long>.Shared.Return(_items);
    }
}
