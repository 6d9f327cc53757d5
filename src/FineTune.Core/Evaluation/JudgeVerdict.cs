namespace FineTune.Evaluation;

/// <summary>How a model fared against the first model on one example.</summary>
public enum JudgeVerdict
{
    Loss,
    Tie,
    Win,
}
