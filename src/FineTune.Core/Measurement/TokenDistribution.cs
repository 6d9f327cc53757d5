using System;
using System.Collections.Generic;
using System.Globalization;

namespace FineTune;

/// <summary>
/// Minimum, maximum, mean, median and the 10th and 90th percentiles of a set of counts, the
/// percentiles interpolated linearly between closest ranks as numpy's default does.
/// </summary>
public sealed class TokenDistribution
{
    private TokenDistribution(long count, double min, double max, double mean, double median, double p10, double p90)
    {
        Count = count;
        Min = min;
        Max = max;
        Mean = mean;
        Median = median;
        P10 = p10;
        P90 = p90;
    }

    public long Count { get; }

    public double Min { get; }

    public double Max { get; }

    public double Mean { get; }

    public double Median { get; }

    public double P10 { get; }

    public double P90 { get; }

    /// <summary>The distribution of <paramref name="values"/>; all zero when there are none.</summary>
    public static TokenDistribution Of(IEnumerable<int> values)
    {
        var histogram = new CountHistogram();
        foreach (int value in values)
        {
            histogram.Add(value);
        }
        return histogram.ToDistribution();
    }

    internal static TokenDistribution Of(long count, double min, double max, double mean, double median, double p10, double p90) =>
        new(count, min, max, mean, median, p10, p90);

    /// <inheritdoc/>
    public override string ToString() => string.Format(CultureInfo.InvariantCulture,
        "min {0:0.##}, max {1:0.##}, mean {2:0.##}, median {3:0.##}, p10 {4:0.##}, p90 {5:0.##}", Min, Max, Mean, Median, P10, P90);
}
