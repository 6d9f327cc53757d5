using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using FineTune.Datasets;

namespace FineTune.Service.Files;

/// <summary>
/// The check a training file passes before it is uploaded: every Test-FineTuneDataset rule,
/// so a file the service would reject costs no upload and no failed job.
/// </summary>
public static class UploadPrecheck
{
    public const string RejectedErrorId = "FineTune.Service.DatasetRejected";
    private const int ListedIssues = 5;

    /// <summary>
    /// Throws a <see cref="RejectedErrorId"/> failure listing the first errors when the file has
    /// any; <paramref name="consequence"/> says what did not happen (for example "and no job was created").
    /// </summary>
    public static void EnsureValid(string path, string? consequence, CancellationToken cancellationToken)
    {
        int errorCount = 0;
        var listed = new List<DatasetIssue>(ListedIssues);
        try
        {
            foreach (DatasetIssue issue in DatasetValidator.ValidateFile(path, null, cancellationToken).Where(i => i.Severity == DatasetIssueSeverity.Error))
            {
                errorCount++;
                if (listed.Count < ListedIssues)
                {
                    listed.Add(issue);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new FineTuneException("FineTune.Path.ReadFailed", FailureKind.ReadError, $"Cannot read '{path}': {ex.Message}", path,
                "Check that the file exists and is readable.", ex);
        }
        if (errorCount == 0)
        {
            return;
        }
        string what = consequence is { Length: > 0 } ? $"was not uploaded {consequence}" : "was not uploaded";
        string more = errorCount > listed.Count ? $"{Environment.NewLine}... and {errorCount - listed.Count} more." : "";
        throw new FineTuneException(RejectedErrorId, FailureKind.InvalidData,
            $"'{path}' {what}: it has {errorCount} error(s).{Environment.NewLine}{string.Join(Environment.NewLine, listed)}{more}", path,
            "Run Test-FineTuneDataset on the file to see every problem and fix them, or pass -SkipValidation to upload it anyway.");
    }
}
