using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Threading;
using FineTune.Datasets;

namespace FineTune.Evaluation;

/// <summary>
/// Reads a test set in chat JSONL, one line at a time (memory bounded by the longest line):
/// each line becomes an <see cref="EvaluationExample"/>, or an error naming the file, line and
/// fix when it is not valid JSON or not a usable chat example.
/// </summary>
public static class TestSetReader
{
    /// <summary>Test examples are short; a longer line is reported and skipped rather than buffered.</summary>
    public const int MaxLineBytes = 16 * 1024 * 1024;

    /// <summary>How many non-blank lines the file has (for progress).</summary>
    public static long CountLines(string path, CancellationToken cancellationToken)
    {
        long count = 0;
        using JsonlReader reader = Open(path);
        while (reader.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            count++;
        }
        return count;
    }

    public static IEnumerable<EvaluationInput> Read(string path, CancellationToken cancellationToken)
    {
        using JsonlReader reader = Open(path);
        while (reader.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return ReadLine(reader, path);
        }
    }

    /// <summary>A piped example (from ConvertTo-FineTuneExample): chat examples only.</summary>
    public static EvaluationInput FromExample(FineTuneExample example, long position)
    {
        string location = "example " + position.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (example is not ChatExample chat)
        {
            return EvaluationInput.Failed(NotChat(location, example?.Format.ToString() ?? "null"));
        }
        try
        {
            return EvaluationInput.Of(EvaluationExample.FromChat(chat, position, location));
        }
        catch (FineTuneException ex)
        {
            return EvaluationInput.Failed(ex);
        }
    }

    private static EvaluationInput ReadLine(JsonlReader reader, string path)
    {
        long line = reader.LineNumber;
        string location = path + ":" + line.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (reader.IsTooLong)
        {
            return EvaluationInput.Failed(new FineTuneException("FineTune.Evaluation.LineTooLong", FailureKind.LimitsExceeded,
                $"{location}: the line is {reader.LineByteCount:N0} bytes, more than {MaxLineBytes:N0}; it was skipped.", location,
                "Shorten the example or leave it out of the test set."));
        }
        if (reader.InvalidUtf8Index >= 0)
        {
            return EvaluationInput.Failed(new FineTuneException("FineTune.Evaluation.InvalidJson", FailureKind.InvalidData,
                $"{location}:{Utf8Validation.ColumnOf(reader.Line, reader.InvalidUtf8Index)}: the line is not valid UTF-8.", location,
                "Save the file as UTF-8."));
        }
        try
        {
            using JsonDocument document = JsonDocument.Parse(reader.LineMemory, new JsonDocumentOptions { MaxDepth = 256 });
            FineTuneExample example;
            try
            {
                example = ExampleReader.Read(document.RootElement);
            }
            catch (FineTuneException ex)
            {
                return EvaluationInput.Failed(new FineTuneException("FineTune.Evaluation.InvalidExample", FailureKind.InvalidData,
                    $"{location}: {ex.Message}", location, ex.RecommendedAction ?? "Test-FineTuneDataset shows every problem of the file.", ex));
            }
            return example is ChatExample chat
                ? EvaluationInput.Of(EvaluationExample.FromChat(chat, line, location))
                : EvaluationInput.Failed(NotChat(location, example.Format.ToString()));
        }
        catch (JsonException ex)
        {
            return EvaluationInput.Failed(new FineTuneException("FineTune.Evaluation.InvalidJson", FailureKind.InvalidData,
                $"{location}:{(ex.BytePositionInLine ?? 0) + 1}: the line is not a JSON object ({ex.Message.Split('.')[0]}).", location,
                "Fix the line so it is one complete JSON object; Test-FineTuneDataset shows every problem of the file.", ex));
        }
        catch (FineTuneException ex)
        {
            return EvaluationInput.Failed(ex);
        }
    }

    private static FineTuneException NotChat(string location, string format) =>
        new("FineTune.Evaluation.NotChat", FailureKind.InvalidData,
            $"{location}: the example is in the {format} format; comparisons need chat examples with messages.", location,
            "Use a chat test set, such as the validation file of Split-FineTuneDataset.");

    private static JsonlReader Open(string path)
    {
        try
        {
            return JsonlReader.Open(path, MaxLineBytes);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new FineTuneException("FineTune.Evaluation.ReadFailed", FailureKind.ReadError, $"Cannot read '{path}': {ex.Message}", path,
                "Check that the file exists and that you can read it.", ex);
        }
    }
}
