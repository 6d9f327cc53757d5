namespace FineTune;

/// <summary>The two files <c>Split-FineTuneDataset</c> wrote and how many examples each holds.</summary>
public sealed class DatasetSplit
{
    public DatasetSplit(string trainingPath, string validationPath, long trainingCount, long validationCount, long seed)
    {
        TrainingPath = trainingPath;
        ValidationPath = validationPath;
        TrainingCount = trainingCount;
        ValidationCount = validationCount;
        Seed = seed;
    }

    public string TrainingPath { get; }
    public string ValidationPath { get; }
    public long TrainingCount { get; }
    public long ValidationCount { get; }

    /// <summary>The seed used: the same seed and input give the same split everywhere.</summary>
    public long Seed { get; }
}
