using System;
using System.Collections.Generic;
using System.Linq;

namespace FineTune;

/// <summary>
/// How many times each count occurred: enough for the exact minimum, maximum, mean, median
/// and percentiles of <see cref="TokenDistribution"/>, in memory that grows with the number
/// of distinct counts, not of examples. (Distinct token counts of a file are few: their sum is
/// at most the file's tokens, so a file of T tokens has fewer than sqrt(2T) of them.)
/// </summary>
internal sealed class CountHistogram
{
    private readonly Dictionary<int, long> _occurrences = new();
    private long _count;
    private double _sum;

    public void Add(int value)
    {
        _occurrences[value] = _occurrences.TryGetValue(value, out long seen) ? seen + 1 : 1;
        _count++;
        _sum += value;
    }

    /// <summary>The distribution, with percentiles interpolated linearly between closest ranks as numpy's default does.</summary>
    public TokenDistribution ToDistribution()
    {
        if (_count == 0)
        {
            return TokenDistribution.Of(0, 0, 0, 0, 0, 0, 0);
        }
        var sorted = _occurrences.OrderBy(pair => pair.Key).ToList();
        return TokenDistribution.Of(_count, sorted[0].Key, sorted[sorted.Count - 1].Key, _sum / _count,
            Percentile(sorted, 50), Percentile(sorted, 10), Percentile(sorted, 90));
    }

    private double Percentile(List<KeyValuePair<int, long>> sorted, double percent)
    {
        double rank = (_count - 1) * percent / 100.0;
        long below = (long)Math.Floor(rank);
        long above = Math.Min(below + 1, _count - 1);
        int low = ValueAt(sorted, below);
        int high = ValueAt(sorted, above);
        return low + (((long)high - low) * (rank - below));
    }

    /// <summary>The value at 0-based position <paramref name="index"/> of the sorted values.</summary>
    private static int ValueAt(List<KeyValuePair<int, long>> sorted, long index)
    {
        long seen = 0;
        foreach (KeyValuePair<int, long> pair in sorted)
        {
            seen += pair.Value;
            if (index < seen)
            {
                return pair.Key;
            }
        }
        return sorted[sorted.Count - 1].Key;
    }
}
