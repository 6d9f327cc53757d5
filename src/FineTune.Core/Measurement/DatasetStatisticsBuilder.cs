using System;

namespace FineTune.Measurement;

/// <summary>Accumulates per-example counts into a <see cref="DatasetMeasurement"/>, in memory that does not grow with the examples.</summary>
internal sealed class DatasetStatisticsBuilder
{
    private readonly CountHistogram _messages = new();
    private readonly CountHistogram _tokens = new();
    private readonly CountHistogram _assistant = new();
    private long _examples;
    private readonly int? _tokenLimit;
    private long _skipped;
    private long _missingSystem;
    private long _missingUser;
    private long _overLimit;
    private long _total;
    private long _billable;
    private long _trained;
    private long _untrained;
    private long _estimated;

    public DatasetStatisticsBuilder(int? tokenLimit) => _tokenLimit = tokenLimit;

    public void Add(LineMeasurement measurement)
    {
        ExampleTokenCount? example = measurement.Example;
        if (example is null)
        {
            _skipped++;
            return;
        }
        _examples++;
        _messages.Add(example.Messages);
        _tokens.Add(example.Tokens);
        _assistant.Add(example.AssistantTokens);
        if (example.Format != ExampleFormat.PromptCompletion)
        {
            _missingSystem += example.HasSystem ? 0 : 1;
            _missingUser += example.HasUser ? 0 : 1;
        }
        _overLimit += example.OverLimit ? 1 : 0;
        _total += example.Tokens;
        _billable += _tokenLimit is int limit ? Math.Min(limit, example.Tokens) : example.Tokens;
        _trained += example.AssistantTokens;
        _untrained += example.UntrainedAssistantTokens;
        _estimated += example.EstimatedTokens;
    }

    public DatasetMeasurement Build(string? path, string? model, string encoding) => new(
        path, model, encoding, _tokenLimit, _examples, _skipped, _missingSystem, _missingUser, _overLimit, _total, _billable,
        _trained, _untrained, _estimated,
        _messages.ToDistribution(), _tokens.ToDistribution(), _assistant.ToDistribution());
}
