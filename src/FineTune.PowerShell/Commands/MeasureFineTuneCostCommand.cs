using System;
using System.Linq;
using System.Management.Automation;
using FineTune.Measurement;
using FineTune.PowerShell.Completers;

namespace FineTune.PowerShell.Commands;

/// <summary>Estimates what fine-tuning a model on a training file costs: billable tokens, epochs, trained tokens and price.</summary>
/// <remarks>
/// <para>The training file is measured as Measure-FineTuneDataset does. From the pipeline it takes files, measurements from Measure-FineTuneDataset (priced as they were counted), and examples (typed examples, objects read by Import-Jsonl, lines of JSON text), which are priced together as one training set. One epoch is billed for the billable tokens, the sum over examples of min(tokens, limit); TrainedTokens is that times the number of epochs, and EstimatedCost is TrainedTokens times the price per 1M tokens.</para>
/// <para>Without -Epochs the service's default heuristic is used: 3 epochs, raised so that examples times epochs reaches 100 (at most 25 epochs), lowered so that it stays within 25,000 (at least 1 epoch).</para>
/// <para>The price comes from the model catalog (-Model, -Provider, -CatalogPath) unless -PricePerMillionTokens is given. Reinforcement fine-tuning is billed per hour of training and cannot be estimated from tokens: EstimatedCost is then empty and a warning says so. Validation files (-ValidationPath) are measured and reported as ValidationTokens; validation tokens are not billed.</para>
/// <para>A warning is written when the model is retired for training or retires within 30 days, when no price is known, and when examples exceed the token limit (they are truncated; only the tokens up to the limit are billed). Token counts of text are exact; tool definitions and tool calls are estimates (see Measure-FineTuneDataset), so the cost is an estimate too.</para>
/// </remarks>
/// <example>
/// <code>Measure-FineTuneCost ./train.jsonl -Model gpt-4o-mini-2024-07-18</code>
/// <para>Estimates the cost of a supervised job on gpt-4o-mini with the default number of epochs.</para>
/// </example>
/// <example>
/// <code>Measure-FineTuneDataset ./train.jsonl -Encoding cl100k_base -TokenLimit 4096 | Measure-FineTuneCost -PricePerMillionTokens 8</code>
/// <para>Prices a measurement done earlier at 8 per 1M trained tokens.</para>
/// </example>
/// <example>
/// <code>Measure-FineTuneCost ./train.jsonl -ValidationPath ./valid.jsonl -Model gpt-4.1-mini -Epochs 2</code>
/// <para>Estimates a two-epoch job and reports the validation file's tokens, which are not billed.</para>
/// </example>
[Cmdlet(VerbsDiagnostic.Measure, "FineTuneCost", DefaultParameterSetName = PathSet)]
[OutputType(typeof(CostEstimate))]
public sealed class MeasureFineTuneCostCommand : MeasurementCmdlet
{
    /// <summary>Training files to price; wildcards are allowed.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
    [SupportsWildcards]
    public string[]? Path { get; set; }

    /// <summary>Training files to price, taken literally (no wildcards).</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet)]
    [Alias("PSPath", "LP")]
    public string[]? LiteralPath { get; set; }

    /// <summary>What the pipeline brings: file paths, files from Get-ChildItem, measurements from Measure-FineTuneDataset (priced without measuring again), or examples (typed examples, objects read by Import-Jsonl, lines of JSON text), priced together as one training set.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    public PSObject[]? InputObject { get; set; }

    /// <summary>The base model (alias, snapshot or fine-tuned name) whose encoding, limit, price and retirement date to use; gpt-4o-mini when neither -Model nor -Encoding is given.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(ModelNameCompleter))]
    public string? Model { get; set; }

    /// <summary>The provider whose catalog entry for -Model to use: OpenAI (default) or AzureOpenAI.</summary>
    [Parameter]
    [ValidateSet("OpenAI", "AzureOpenAI")]
    public string? Provider { get; set; }

    /// <summary>The token encoding, overriding the model's: cl100k_base or o200k_base. A measurement from the pipeline keeps the encoding it was counted with.</summary>
    [Parameter]
    [ValidateSet("cl100k_base", "o200k_base")]
    public string? Encoding { get; set; }

    /// <summary>Most tokens per example before truncation, overriding the model's limit. With -Encoding and no -Model, no limit applies unless this is given. A measurement from the pipeline keeps the limit it was counted with.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? TokenLimit { get; set; }

    /// <summary>Number of epochs; the service's default heuristic when omitted.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? Epochs { get; set; }

    /// <summary>Price per 1M trained tokens, overriding the catalog's.</summary>
    [Parameter]
    [ValidateRange(0.0, 1_000_000.0)]
    public decimal? PricePerMillionTokens { get; set; }

    /// <summary>The training method: supervised (default), dpo or reinforcement (billed per hour, not estimated).</summary>
    [Parameter]
    [ValidateSet("supervised", "dpo", "reinforcement")]
    public string Method { get; set; } = "supervised";

    /// <summary>A validation file to measure with the same settings; its tokens are reported and not billed.</summary>
    [Parameter]
    public string? ValidationPath { get; set; }

    /// <summary>A catalog JSON file merged over the embedded catalog; defaults to the FINETUNE_CATALOG_PATH environment variable.</summary>
    [Parameter]
    public string? CatalogPath { get; set; }

    private DatasetMeasurement? _validation;
    private bool _validationMeasured;

    protected override void BeginProcessing() => SelectModel(CatalogPath, Model, Provider, Encoding, TokenLimit);

    protected override void ProcessRecord()
    {
        foreach (DatasetInput input in DatasetInputs(Path, LiteralPath, InputObject, DatasetInputKinds.Examples | DatasetInputKinds.Measurements))
        {
            if (input.Measurement is DatasetMeasurement measured)
            {
                EstimateMeasurement(measured);
            }
            else if (input.File is string file)
            {
                if (MeasureFile(file, null) is DatasetMeasurement training)
                {
                    Estimate(training, Selection!);
                }
            }
            else
            {
                MeasureExample(input);
            }
        }
    }

    protected override void EndProcessing()
    {
        if (CompleteExamples() is DatasetMeasurement examples)
        {
            Estimate(examples, Selection!);
        }
    }

    /// <summary>Prices a measurement as it was counted: its model (unless -Model), encoding and limit.</summary>
    private void EstimateMeasurement(DatasetMeasurement measured)
    {
        if (Encoding is not null || TokenLimit is not null)
        {
            WriteWarning($"-Encoding and -TokenLimit do not apply to a measurement from the pipeline; it is priced as it was counted ({measured.Encoding}, limit {measured.TokenLimit?.ToString() ?? "none"}).");
        }
        ModelSelection selection = ResolveSelection(CatalogPath, Model ?? measured.Model, Provider,
            Model is null && measured.Model is null ? measured.Encoding : null, measured.TokenLimit);
        Estimate(measured, selection);
    }

    private void Estimate(DatasetMeasurement training, ModelSelection selection)
    {
        if (ValidationPath is not null && !_validationMeasured)
        {
            _validationMeasured = true;
            string? file = ResolveFileSystemPaths(new[] { ValidationPath }, literal: true).FirstOrDefault();
            _validation = file is null ? null : MeasureFile(file, null);
        }
        CostEstimate estimate;
        try
        {
            estimate = CostEstimator.Estimate(training, selection.Model, Method, Epochs, PricePerMillionTokens, _validation, DateTime.UtcNow.Date);
        }
        catch (FineTuneException ex)
        {
            WriteError(ex, training.Path);
            return;
        }
        foreach (string warning in estimate.Warnings)
        {
            WriteWarning(warning);
        }
        WriteObject(estimate);
    }
}
