namespace FineTune.Service.Files;

/// <summary>
/// Where Send-FineTuneFile gets its pre-upload check.
/// MERGE SEAM: when the dataset engine (Test-FineTuneDataset) is on this branch, return an
/// adapter over it here; until then the structural JSON Lines check is used.
/// </summary>
public static class DatasetPrecheckSeam
{
    public static IDatasetPrecheck Create() => new JsonLinesPrecheck();
}
