using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using FineTune.Datasets;
using FineTune.Service.Jobs;

namespace FineTune.Service.Archive;

/// <summary>
/// Writes a job's <c>metrics.csv</c> from its archived result files: one row per step with the
/// columns <c>result_file,step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy,
/// full_valid_loss,full_valid_mean_token_accuracy</c>, then any other column the result files
/// have, in the order first seen. Result files served base64-encoded are decoded; empty cells
/// stay empty.
/// </summary>
internal static class MetricsCsv
{
    private static readonly string[] KnownColumns =
    {
        "result_file", "step", "train_loss", "train_accuracy", "valid_loss", "valid_mean_token_accuracy", "full_valid_loss", "full_valid_mean_token_accuracy",
    };

    /// <summary>Writes the file atomically and returns the number of rows.</summary>
    public static int Write(string jobId, IReadOnlyList<(string FileId, string Path)> resultFiles, string destination, CancellationToken cancellationToken)
    {
        var rows = new List<MetricStep>();
        foreach ((string fileId, string path) in resultFiles)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long length = new FileInfo(path).Length;
            if (length > ResultFile.MaxBytes)
            {
                throw new FineTuneException("FineTune.Job.ResultFileInvalid", FailureKind.InvalidData,
                    $"Result file '{fileId}' of job '{jobId}' has {length} bytes, more than a result file can have ({ResultFile.MaxBytes / (1024 * 1024)} MB).",
                    fileId, $"The file is kept in the archive as it was served ({path}); inspect it by hand.");
            }
            using var reader = new StringReader(ResultFile.DecodeContent(File.ReadAllBytes(path)));
            rows.AddRange(ResultFile.Parse(reader, jobId, fileId));
        }
        List<string> extraColumns = rows.SelectMany(r => r.Extra.Keys).Distinct(StringComparer.Ordinal)
            .Where(c => !KnownColumns.Contains(c, StringComparer.OrdinalIgnoreCase)).ToList();

        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(destination)!);
        using AtomicFileWriter file = AtomicFileWriter.Open(destination, FileWriteMode.Overwrite);
        using (var writer = new StreamWriter(file.Stream, new UTF8Encoding(false), 64 * 1024, leaveOpen: true) { NewLine = "\n" })
        {
            writer.WriteLine(string.Join(",", KnownColumns.Concat(extraColumns).Select(Cell)));
            foreach (MetricStep row in rows)
            {
                var cells = new List<string>
                {
                    Cell(row.ResultFile), row.Step.ToString(CultureInfo.InvariantCulture), Number(row.TrainLoss), Number(row.TrainAccuracy),
                    Number(row.ValidLoss), Number(row.ValidMeanTokenAccuracy), Number(row.FullValidLoss), Number(row.FullValidMeanTokenAccuracy),
                };
                cells.AddRange(extraColumns.Select(c => row.Extra.TryGetValue(c, out string? value) ? Cell(value) : string.Empty));
                writer.WriteLine(string.Join(",", cells));
            }
        }
        file.Commit();
        return rows.Count;
    }

    private static string Number(double? value) => value?.ToString("R", CultureInfo.InvariantCulture) ?? string.Empty;

    private static string Cell(string text) =>
        text.IndexOfAny(new[] { ',', '"', '\n', '\r' }) < 0 ? text : "\"" + text.Replace("\"", "\"\"") + "\"";
}
