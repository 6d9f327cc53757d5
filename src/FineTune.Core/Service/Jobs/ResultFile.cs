using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace FineTune.Service.Jobs;

/// <summary>
/// Parses a job's result file: CSV with a header row (<c>step,train_loss,train_accuracy,
/// valid_loss,valid_mean_token_accuracy</c> and, on some models and hosts, more columns), one
/// row per step. Unknown columns are kept as text, empty cells are null, and a cell that is not
/// a number in a known column is an error naming the file, line and column. OpenAI has served
/// these files base64-encoded; that form is recognised and decoded.
/// </summary>
internal static class ResultFile
{
    /// <summary>Result files hold one short row per step; anything larger is not one.</summary>
    public const long MaxBytes = 256L * 1024 * 1024;

    private static readonly Dictionary<string, Action<MetricStep, double?>> Columns = new(StringComparer.OrdinalIgnoreCase)
    {
        ["train_loss"] = (row, v) => row.TrainLoss = v,
        ["train_accuracy"] = (row, v) => row.TrainAccuracy = v,
        ["train_mean_token_accuracy"] = (row, v) => row.TrainAccuracy = v,
        ["valid_loss"] = (row, v) => row.ValidLoss = v,
        ["valid_mean_token_accuracy"] = (row, v) => row.ValidMeanTokenAccuracy = v,
        ["valid_accuracy"] = (row, v) => row.ValidMeanTokenAccuracy = v,
        ["full_valid_loss"] = (row, v) => row.FullValidLoss = v,
        ["full_valid_mean_token_accuracy"] = (row, v) => row.FullValidMeanTokenAccuracy = v,
    };

    /// <summary>Decodes the downloaded bytes (UTF-8 CSV, or base64 of it) to CSV text.</summary>
    public static string DecodeContent(byte[] content)
    {
        string text = new UTF8Encoding(false).GetString(content).TrimStart('\uFEFF');
        string trimmed = text.Trim();
        if (trimmed.Length == 0 || trimmed.IndexOf(',') >= 0 || trimmed.Length % 4 != 0)
        {
            return text;
        }
        try
        {
            string decoded = new UTF8Encoding(false, true).GetString(Convert.FromBase64String(trimmed)).TrimStart('\uFEFF');
            return decoded.IndexOf(',') >= 0 ? decoded : text;
        }
        catch (FormatException)
        {
            return text;
        }
        catch (DecoderFallbackException)
        {
            return text;
        }
    }

    public static IEnumerable<MetricStep> Parse(TextReader reader, string jobId, string fileId)
    {
        string? headerLine = reader.ReadLine();
        if (headerLine is null || headerLine.Trim().Length == 0)
        {
            yield break;
        }
        List<string> header = SplitCsv(headerLine);
        int stepColumn = header.FindIndex(h => string.Equals(h.Trim(), "step", StringComparison.OrdinalIgnoreCase));
        if (stepColumn < 0)
        {
            throw new FineTuneException("FineTune.Job.ResultFileInvalid", FailureKind.InvalidData,
                $"Result file '{fileId}' of job '{jobId}', line 1: the header has no 'step' column (it reads '{Shorten(headerLine)}').",
                fileId, "Check that the file is a fine-tuning result file: Get-FineTuneJob shows a job's ResultFiles.");
        }

        int lineNumber = 1;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (line.Trim().Length == 0)
            {
                continue;
            }
            List<string> cells = SplitCsv(line);
            var row = new MetricStep { JobId = jobId, ResultFile = fileId };
            Dictionary<string, string>? extra = null;
            for (int i = 0; i < header.Count; i++)
            {
                string name = header[i].Trim();
                string cell = i < cells.Count ? cells[i].Trim() : string.Empty;
                if (i == stepColumn)
                {
                    row.Step = ReadStep(cell, jobId, fileId, lineNumber);
                }
                else if (Columns.TryGetValue(name, out Action<MetricStep, double?>? assign))
                {
                    assign(row, ReadNumber(cell, name, jobId, fileId, lineNumber));
                }
                else if (cell.Length > 0 && name.Length > 0)
                {
                    extra ??= new Dictionary<string, string>(StringComparer.Ordinal);
                    extra[name] = cell;
                }
            }
            if (extra is not null)
            {
                row.Extra = ValueMap<string>.Of(extra);
            }
            yield return row;
        }
    }

    private static int ReadStep(string cell, string jobId, string fileId, int line)
    {
        if (double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double step) && step >= 0 && step == Math.Floor(step) && step <= int.MaxValue)
        {
            return (int)step;
        }
        throw new FineTuneException("FineTune.Job.ResultFileInvalid", FailureKind.InvalidData,
            $"Result file '{fileId}' of job '{jobId}', line {line}, column 'step': '{cell}' is not a step number.",
            fileId, "The file is damaged or not a result file; download it with Save-FineTuneFile to inspect it.");
    }

    private static double? ReadNumber(string cell, string column, string jobId, string fileId, int line)
    {
        if (cell.Length == 0)
        {
            return null;
        }
        if (double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
        {
            return value;
        }
        if (string.Equals(cell, "nan", StringComparison.OrdinalIgnoreCase))
        {
            return double.NaN;
        }
        throw new FineTuneException("FineTune.Job.ResultFileInvalid", FailureKind.InvalidData,
            $"Result file '{fileId}' of job '{jobId}', line {line}, column '{column}': '{Shorten(cell)}' is not a number.",
            fileId, "The file is damaged or not a result file; download it with Save-FineTuneFile to inspect it.");
    }

    /// <summary>Splits one CSV record; double quotes enclose fields and "" is a literal quote.</summary>
    private static List<string> SplitCsv(string line)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else
            {
                cell.Append(c);
            }
        }
        cells.Add(cell.ToString());
        return cells;
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text.Substring(0, 77) + "...";
}
