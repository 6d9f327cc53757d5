using System;
using System.IO;
using System.Management.Automation;
using FineTune.Datasets;

namespace FineTune.PowerShell.Commands;

/// <summary>Splits a JSONL file into a training file and a validation file, deterministically.</summary>
/// <remarks>
/// <para>Writes <c>&lt;name&gt;.train.jsonl</c> and <c>&lt;name&gt;.validation.jsonl</c> beside the input (or in <c>-OutputDirectory</c>) and returns an object with <c>TrainingPath</c>, <c>ValidationPath</c>, <c>TrainingCount</c> and <c>ValidationCount</c>, so <c>Send-FineTuneFile $split.TrainingPath</c> works directly.</para>
/// <para>The split is deterministic: the same input and <c>-Seed</c> give the same split on every operating system and PowerShell edition (the module uses its own random generator, not System.Random). Exactly <c>-ValidationCount</c> examples, or <c>-ValidationRatio</c> of them rounded (at least one, and at least one left for training), go to validation; every other example goes to training; none is lost or duplicated, and the order of the lines is kept within each file. Lines are copied unchanged; blank lines are dropped.</para>
/// <para>The file is read twice (once to count, once to copy), never held in memory; a line longer than 256 MiB (the line limit of every FineTune reader) stops the split with FineTune.Dataset.LineTooLong before anything is written.</para>
/// <para>Both outputs are replaced together: they are written completely to hidden temporary files first; if the split fails or is interrupted before that ends, both existing output files stay as they were. The two files are then renamed into place one after the other, with a hidden journal (.NAME.train.jsonl.pair) beside them; should the process be killed between the two renames, the next Split-FineTuneDataset to the same files finishes the interrupted replacement first, so the pair is repaired before anything else happens to it.</para>
/// </remarks>
/// <example>
/// <code>$split = Split-FineTuneDataset ./qa.jsonl -ValidationRatio 0.1 -Seed 7</code>
/// <para>Puts 10% of the examples of qa.jsonl into qa.validation.jsonl and the rest into qa.train.jsonl.</para>
/// </example>
/// <example>
/// <code>Get-ChildItem ./data/*.jsonl | Split-FineTuneDataset -ValidationCount 50 -OutputDirectory ./split -WhatIf</code>
/// <para>Shows which files would be written when taking 50 validation examples from each file.</para>
/// </example>
[Cmdlet(VerbsCommon.Split, "FineTuneDataset", SupportsShouldProcess = true, DefaultParameterSetName = PathSet)]
[OutputType(typeof(DatasetSplit))]
public sealed class SplitFineTuneDatasetCommand : FineTuneCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

    /// <summary>The file to split; wildcards are allowed.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>The file to split, used exactly as typed; binds from the PSPath of <c>Get-ChildItem</c> output.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = Array.Empty<string>();

    /// <summary>The share of examples for validation, between 0 and 1 (default 0.1). Cannot be combined with <c>-ValidationCount</c>.</summary>
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
        bool literal = ParameterSetName == LiteralPathSet;
        string? directory = OutputDirectory is null ? null : ResolveOutputPath(OutputDirectory);
        foreach (string file in ResolveFileSystemPaths(literal ? LiteralPath : Path, literal))
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
                WriteObject(DatasetSplitter.Split(file, byCount ? null : ValidationRatio, byCount ? ValidationCount : null, Seed,
                    training, validation, CancellationToken));
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
}
