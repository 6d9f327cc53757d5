using System;
using FineTune.Tokens;

namespace FineTune.Measurement;

/// <summary>
/// Measures examples that arrive one at a time instead of from a file (examples piped to
/// Measure-FineTuneDataset): the same counting and statistics as <see cref="DatasetMeasurer"/>,
/// with no path and each example numbered by its position.
/// </summary>
public sealed class ExampleStreamMeasurer
{
    private readonly ExampleTokenCounter _counter;
    private readonly DatasetStatisticsBuilder _statistics;
    private readonly string _encoding;
    private readonly string? _model;

    /// <param name="encoding">The model's token encoding.</param>
    /// <param name="tokenLimit">Most tokens per example, or null when unknown.</param>
    /// <param name="model">The catalog model the encoding and limit came from, reported in the result.</param>
    public ExampleStreamMeasurer(TokenEncoding encoding, int? tokenLimit, string? model = null)
    {
        _counter = new ExampleTokenCounter(encoding, tokenLimit);
        _statistics = new DatasetStatisticsBuilder(tokenLimit);
        _encoding = encoding.Name;
        _model = model;
    }

    /// <summary>Counts one example (its JSON, UTF-8) and adds it to the statistics.</summary>
    public LineMeasurement Add(long position, ReadOnlyMemory<byte> json)
    {
        LineMeasurement measured = _counter.Count(null, position, json);
        _statistics.Add(measured);
        return measured;
    }

    /// <summary>The statistics of every example added so far.</summary>
    public DatasetMeasurement Complete() => _statistics.Build(null, _model, _encoding);
}
