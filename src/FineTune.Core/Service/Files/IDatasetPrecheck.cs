using System.Collections.Generic;
using System.Threading;

namespace FineTune.Service.Files;

/// <summary>
/// The check Send-FineTuneFile runs on a training file before uploading it; a file with
/// errors is refused unless the user passes -SkipValidation.
/// </summary>
public interface IDatasetPrecheck
{
    DatasetPrecheckResult Check(string path, CancellationToken cancellationToken);
}

/// <summary>How many errors a file has and the first few, each naming its line.</summary>
public sealed class DatasetPrecheckResult
{
    public DatasetPrecheckResult(int errorCount, IReadOnlyList<string> firstErrors)
    {
        ErrorCount = errorCount;
        FirstErrors = firstErrors;
    }

    public int ErrorCount { get; }

    public IReadOnlyList<string> FirstErrors { get; }
}
