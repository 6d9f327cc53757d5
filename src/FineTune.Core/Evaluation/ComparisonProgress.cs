namespace FineTune.Evaluation;

/// <summary>How far one model (or the judge) has got: examples answered so far, failures included.</summary>
public sealed class ComparisonProgress
{
    internal ComparisonProgress(int index, string model, bool isJudge, long done)
    {
        Index = index;
        Model = model;
        IsJudge = isJudge;
        Done = done;
    }

    /// <summary>The model's position in the list (0 = first); the judge comes after the models.</summary>
    public int Index { get; }

    public string Model { get; }

    public bool IsJudge { get; }

    public long Done { get; }
}
