using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;

namespace FineTune.Datasets;

/// <summary>
/// Splits a JSONL file into training and validation files, deterministically: pass one counts
/// the examples (non-blank lines), pass two streams each line, unchanged, to the file chosen
/// by selection sampling (Knuth's algorithm S) driven by <see cref="SplitMix64"/>. Exactly the
/// requested number of lines goes to validation, order is kept within each file, nothing is
/// lost or duplicated. Both files are written completely to temporary files first and then
/// replaced together (<see cref="JsonlWriter.CommitTogether"/>): if a split is killed between
/// the two renames, the next split to the same files finishes the interrupted one before it
/// starts. Memory is bounded by the line limit; a line past it fails the split before anything
/// is written.
/// </summary>
public static class DatasetSplitter
{
    /// <summary>The default output paths: <c>&lt;name&gt;.train.jsonl</c> and <c>&lt;name&gt;.validation.jsonl</c>.</summary>
    public static (string Training, string Validation) OutputPaths(string inputPath, string? outputDirectory = null)
    {
        string fullInput = Path.GetFullPath(inputPath);
        string directory = outputDirectory is null ? Path.GetDirectoryName(fullInput)! : Path.GetFullPath(outputDirectory);
        string name = Path.GetFileNameWithoutExtension(fullInput);
        return (Path.Combine(directory, name + ".train.jsonl"), Path.Combine(directory, name + ".validation.jsonl"));
    }

    /// <summary>How many of <paramref name="total"/> examples go to validation.</summary>
    public static long ValidationSize(long total, double? ratio, long? count)
    {
        if (total < 2)
        {
            throw new FineTuneException("FineTune.Dataset.TooFewToSplit", FailureKind.InvalidData,
                $"The file has {total} example{(total == 1 ? string.Empty : "s")}; a split needs at least 2.", total, "Add examples before splitting.");
        }
        if (count is long fixedCount)
        {
            if (fixedCount < 1 || fixedCount >= total)
            {
                throw new FineTuneException("FineTune.Dataset.InvalidValidationCount", FailureKind.InvalidArgument,
                    $"-ValidationCount {fixedCount} is not between 1 and {total - 1} (the file has {total} examples).", fixedCount,
                    "Choose a smaller count so both files get examples.");
            }
            return fixedCount;
        }
        double r = ratio ?? 0.1;
        if (!(r > 0 && r < 1))
        {
            throw new FineTuneException("FineTune.Dataset.InvalidValidationRatio", FailureKind.InvalidArgument,
                $"-ValidationRatio {r} is not between 0 and 1 (exclusive).", r, "Use a ratio such as 0.1 or 0.2.");
        }
        long size = (long)Math.Round(total * r, MidpointRounding.AwayFromZero);
        return Math.Min(Math.Max(size, 1), total - 1);
    }

    /// <summary>
    /// For each of <paramref name="total"/> positions in order, whether it goes to validation;
    /// exactly <paramref name="validation"/> are true, chosen uniformly by the seed.
    /// </summary>
    internal static IEnumerable<bool> Selection(long total, long validation, long seed)
    {
        var random = new SplitMix64(unchecked((ulong)seed));
        long remaining = validation;
        for (long i = 0; i < total; i++)
        {
            bool pick = remaining > 0 && (long)random.NextBelow((ulong)(total - i)) < remaining;
            if (pick)
            {
                remaining--;
            }
            yield return pick;
        }
    }

    /// <summary>Splits <paramref name="inputPath"/>; see the class summary.</summary>
    public static DatasetSplit Split(string inputPath, double? validationRatio, long? validationCount, long seed,
        string? trainingPath = null, string? validationPath = null, CancellationToken cancellationToken = default)
    {
        inputPath = Path.GetFullPath(inputPath);
        (string defaultTraining, string defaultValidation) = OutputPaths(inputPath);
        trainingPath = Path.GetFullPath(trainingPath ?? defaultTraining);
        validationPath = Path.GetFullPath(validationPath ?? defaultValidation);
        if (SamePath(trainingPath, inputPath) || SamePath(validationPath, inputPath) || SamePath(trainingPath, validationPath))
        {
            throw new FineTuneException("FineTune.Dataset.SplitPathConflict", FailureKind.InvalidArgument,
                "The input, training and validation files must be three different files.", inputPath, "Choose another -OutputDirectory or rename the input.");
        }

        AtomicFileWriter.CompleteInterruptedPair(trainingPath);
        long total = CountExamples(inputPath, cancellationToken);
        long validation = ValidationSize(total, validationRatio, validationCount);

        using JsonlWriter training = JsonlWriter.Open(trainingPath, FileWriteMode.Overwrite);
        using JsonlWriter validating = JsonlWriter.Open(validationPath, FileWriteMode.Overwrite);
        using (JsonlReader reader = JsonlReader.Open(inputPath, cancellationToken: cancellationToken))
        using (IEnumerator<bool> selection = Selection(total, validation, seed).GetEnumerator())
        {
            while (reader.Read())
            {
                if (!selection.MoveNext() || reader.IsTooLong)
                {
                    throw Changed(inputPath);
                }
                (selection.Current ? validating : training).WriteRawLine(reader.Line);
            }
            if (selection.MoveNext())
            {
                throw Changed(inputPath);
            }
        }
        JsonlWriter.CommitTogether(training, validating);
        return new DatasetSplit(trainingPath, validationPath, training.RecordCount, validating.RecordCount, seed);
    }

    /// <summary>Pass one: the examples of the file; a line past the limit ends the split here, before anything is written.</summary>
    private static long CountExamples(string path, CancellationToken cancellationToken)
    {
        long count = 0;
        using JsonlReader reader = JsonlReader.Open(path, cancellationToken: cancellationToken);
        while (reader.Read())
        {
            if (reader.IsTooLong)
            {
                throw new FineTuneException("FineTune.Dataset.LineTooLong", FailureKind.LimitsExceeded,
                    $"Line {reader.LineNumber} of '{path}' {reader.DescribeTooLong()}; no output was written.", path,
                    "Split or shorten that example (Test-FineTuneDataset lists every problem of the file).");
            }
            count++;
        }
        return count;
    }

    private static bool SamePath(string a, string b) =>
        string.Equals(a, b, Path.DirectorySeparatorChar == '\\' ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

    private static FineTuneException Changed(string path) =>
        new("FineTune.Dataset.FileChanged", FailureKind.InvalidOperation,
            $"'{path}' changed while it was being split; no output was written.", path, "Split it again once nothing else writes to it.");
}
