using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using FineTune.Datasets;

namespace FineTune.PowerShell.Commands;

/// <summary>Splits a JSONL file into a training file and a validation file, deterministically.</summary>
/// <remarks>
/// <para>Writes <c>&lt;name&gt;.train.jsonl</c> and <c>&lt;name&gt;.validation.jsonl</c> beside the input (or in <c>-OutputDirectory</c>) and returns an object with <c>TrainingPath</c>, <c>ValidationPath</c>, <c>TrainingCount</c> and <c>ValidationCount</c>, so <c>Send-FineTuneFile $split.TrainingPath</c> works directly.</para>
/// <para>The split is deterministic: the same input and <c>-Seed</c> give the same split on every operating system and PowerShell edition (the module uses its own random generator, not System.Random). Exactly <c>-ValidationCount</c> examples, or <c>-ValidationRatio</c> of them rounded (at least one, and at least one left for training), go to validation; every other example goes to training; none is lost or duplicated, and the order of the lines is kept within each file. Lines are copied unchanged; blank lines are dropped.</para>
/// <para>The file is read twice (once to count, once to copy), never held in memory; a line longer than 256 MiB (the line limit of every FineTune reader) stops the split with FineTune.Dataset.LineTooLong before anything is written.</para>
/// <para>Both outputs are replaced together: they are written completely to hidden temporary files first; if the split fails or is interrupted before that ends, both existing output files stay as they were. The two files are then renamed into place one after the other, with a hidden journal (.NAME.train.jsonl.pair) beside them; should the process be killed between the two renames, the next Split-FineTuneDataset to the same files finishes the interrupted replacement first, so the pair is repaired before anything else happens to it.</para>
/// <para>Each part must stay usable: OpenAI documents a minimum of 10 examples for fine-tuning ("the minimum number of examples you can provide for fine-tuning is 10"), and a training file with fewer fails the job (error invalid_n_examples, param training_file). Its API reference states no minimum for validation files; the module applies the same minimum to them (Send-FineTuneFile and New-FineTuneJob check every file they upload with Test-FineTuneDataset's rules, which refuse fewer than 10 examples), because a file's role is not known when it is uploaded and because a smaller validation set gives little signal. So the cmdlet writes a warning when either part has fewer than 10 examples, and says how to fix it: with fewer than 100 examples, -ValidationRatio 0.1 leaves fewer than 10 for validation; use -ValidationCount 10 or a larger ratio, or train without a validation file. Send-FineTuneFile -SkipValidation uploads a smaller file anyway.</para>
/// <para>Input comes from -Path, -LiteralPath or the pipeline (paths and Get-ChildItem output). Examples from the pipeline are not split: write them to a file with Export-Jsonl first; anything but files is an error record saying so.</para>
/// </remarks>
/// <example>
/// <code>$split = Split-FineTuneDataset ./qa.jsonl -ValidationRatio 0.2 -Seed 7</code>
/// <para>Puts 20% of the examples of qa.jsonl into qa.validation.jsonl and the rest into qa.train.jsonl; with the 60 examples of the sample, 12 go to validation, enough for the service's minimum of 10.</para>
/// </example>
/// <example>
/// <code>Get-ChildItem ./data/*.jsonl | Split-FineTuneDataset -ValidationCount 50 -OutputDirectory ./split -WhatIf</code>
/// <para>Shows which files would be written when taking 50 validation examples from each file.</para>
/// </example>
[Cmdlet(VerbsCommon.Split, "FineTuneDataset", SupportsShouldProcess = true, DefaultParameterSetName = PathSet)]
[OutputType(typeof(DatasetSplit))]
public sealed class SplitFineTuneDatasetCommand : FineTuneCmdlet
{
    /// <summary>The file to split; wildcards are allowed.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>The file to split, used exactly as typed (no wildcards).</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = Array.Empty<string>();

    /// <summary>The files the pipeline brings: paths or Get-ChildItem output. Anything else is an error record.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    public PSObject[] InputObject { get; set; } = Array.Empty<PSObject>();

    /// <summary>The share of examples for validation, between 0 and 1 (default 0.1), rounded; with fewer than 100 examples choose a larger share or -ValidationCount, so that validation keeps at least 10 examples. Cannot be combined with <c>-ValidationCount</c>.</summary>
    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public double ValidationRatio { get; set; } = 0.1;

    /// <summary>The exact number of examples for validation. Cannot be combined with <c>-ValidationRatio</c>.</summary>
    [Parameter]
    [ValidateRange(1L, long.MaxValue)]
    public long ValidationCount { get; set; }

    /// <summary>The seed of the random selection (default 0): the same seed gives the same split everywhere.</summary>
    [Parameter]
    public long Seed { get; set; }

    /// <summary>The folder for the two files (created if missing); by default the input file's folder.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? OutputDirectory { get; set; }

    protected override void BeginProcessing()
    {
        if (MyInvocation.BoundParameters.ContainsKey(nameof(ValidationRatio)) && MyInvocation.BoundParameters.ContainsKey(nameof(ValidationCount)))
        {
            ThrowTerminatingError(new FineTuneException("FineTune.Dataset.RatioAndCount", FailureKind.InvalidArgument,
                "-ValidationRatio and -ValidationCount cannot be used together.", null, "Give one of them."));
        }
    }

    protected override void ProcessRecord()
    {
        string? directory = OutputDirectory is null ? null : ResolveOutputPath(OutputDirectory);
        foreach (string file in DatasetInputs(Path, LiteralPath, InputObject, DatasetInputKinds.Files).Select(input => input.File!))
        {
            (string training, string validation) = DatasetSplitter.OutputPaths(file, directory);
            if (!ShouldProcess(file, $"Split into '{training}' and '{validation}'"))
            {
                continue;
            }
            try
            {
                if (directory is not null)
                {
                    Directory.CreateDirectory(directory);
                }
                bool byCount = MyInvocation.BoundParameters.ContainsKey(nameof(ValidationCount));
                DatasetSplit split = DatasetSplitter.Split(file, byCount ? null : ValidationRatio, byCount ? ValidationCount : null, Seed,
                    training, validation, CancellationToken);
                WarnBelowServiceMinimum(split);
                WriteObject(split);
            }
            catch (FineTuneException ex)
            {
                WriteError(ex, file);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                WriteError(new FineTuneException("FineTune.Dataset.SplitFailed", FailureKind.WriteError, $"Cannot split '{file}': {ex.Message}", file,
                    "Check that the file can be read and the output folder written.", ex));
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>A part with fewer examples than the service accepts would only fail later, at upload: say so now.</summary>
    private void WarnBelowServiceMinimum(DatasetSplit split)
    {
        const int minimum = DatasetValidationOptions.ServiceMinimumExamples;
        if (split.ValidationCount < minimum)
        {
            WriteWarning($"'{split.ValidationPath}' has {split.ValidationCount} validation example(s), fewer than the {minimum} a fine-tuning file needs, so uploading it fails. " +
                $"Use -ValidationCount {minimum} or a larger -ValidationRatio, or train without a validation file.");
        }
        if (split.TrainingCount < minimum)
        {
            WriteWarning($"'{split.TrainingPath}' has {split.TrainingCount} training example(s), fewer than the {minimum} the service requires. " +
                "Add examples, or take fewer for validation.");
        }
    }
}
