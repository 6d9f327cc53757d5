using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Threading;

namespace FineTune.Service.Files;

/// <summary>
/// The structural part of a dataset check, streamed line by line: the file is UTF-8, every
/// non-blank line is one JSON object, and there is at least one example. (The full rule set
/// of Test-FineTuneDataset replaces this through <see cref="DatasetPrecheckSeam"/>.)
/// </summary>
public sealed class JsonLinesPrecheck : IDatasetPrecheck
{
    private const int MaxReported = 5;

    public DatasetPrecheckResult Check(string path, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        int errorCount = 0;
        int examples = 0;
        void Report(string message)
        {
            errorCount++;
            if (errors.Count < MaxReported)
            {
                errors.Add(message);
            }
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 65536, FileOptions.SequentialScan);
        using var reader = new StreamReader(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true);
        long lineNumber = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string? line;
            try
            {
                line = reader.ReadLine();
            }
            catch (DecoderFallbackException)
            {
                Report($"{path}: line {lineNumber + 1} is not valid UTF-8. Save the file as UTF-8.");
                break;
            }
            if (line is null)
            {
                break;
            }
            lineNumber++;
            if (line.Trim().Length == 0)
            {
                continue;
            }
            try
            {
                using JsonDocument document = JsonDocument.Parse(line);
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    Report($"{path}: line {lineNumber} is a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}, not an object. Each line must be one example object.");
                }
                else
                {
                    examples++;
                }
            }
            catch (JsonException ex)
            {
                Report($"{path}: line {lineNumber} is not valid JSON ({ex.Message}). Each line must hold one complete JSON object.");
            }
        }
        if (examples == 0 && errorCount == 0)
        {
            Report($"{path}: the file holds no examples.");
        }
        return new DatasetPrecheckResult(errorCount, errors);
    }
}
