namespace FineTune.Evaluation;

/// <summary>One item of a test set as read: an example to compare on, or why its line could not be used.</summary>
public sealed class EvaluationInput
{
    private EvaluationInput(EvaluationExample? example, FineTuneException? error)
    {
        Example = example;
        Error = error;
    }

    public EvaluationExample? Example { get; }

    /// <summary>Why the line was not usable (bad JSON, no reference...); null for an example.</summary>
    public FineTuneException? Error { get; }

    public static EvaluationInput Of(EvaluationExample example) => new(example, null);

    public static EvaluationInput Failed(FineTuneException error) => new(null, error);
}
