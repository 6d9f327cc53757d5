using System.Management.Automation;
using FineTune.PowerShell.Completers;

namespace FineTune.PowerShell.Commands;

/// <summary>Counts the tokens of training files exactly and reports per-file statistics or per-example counts.</summary>
/// <remarks>
/// <para>Each example is counted with the model's tiktoken encoding (cl100k_base or o200k_base), producing the same token ids as OpenAI's tiktoken; text such as &lt;|endoftext|&gt; is counted as ordinary text. Chat examples are counted as OpenAI's cookbook does: 3 tokens per message, the tokens of its role, content and name, 1 more per name, and 3 to prime the reply. These text counts are exact.</para>
/// <para>Estimates, because the service's framing is not published: tool (function) definitions are counted with the method of OpenAI's cookbook for chat completions (a fixed amount per function and property plus the tokens of names, types and descriptions); tool calls and legacy function calls count the tokens of the function name and arguments; image parts are not counted. EstimatedTokens shows how much of each count is estimated. Preference (DPO) examples count the input conversation plus both outputs; prompt/completion examples count the two texts.</para>
/// <para>Per file you get ExampleCount, MissingSystemCount, MissingUserCount, OverLimitCount (examples the service truncates), TotalTokens, BillableTokens (the sum of min(tokens, limit): what one epoch is billed for), trained and untrained (weight 0) assistant tokens, and the distributions MessagesPerExample, TokensPerExample and AssistantTokensPerExample with Min, Max, Mean, Median, P10 and P90 (linear interpolation, as numpy). With -PerExample you get one object per example instead.</para>
/// <para>From the pipeline it takes files (paths, wildcards, Get-ChildItem output) and examples: typed examples from ConvertTo-FineTuneExample, objects read by Import-Jsonl, and lines of JSON text. The examples are measured together as one dataset whose Path is empty (with -PerExample, Line is each example's position). Anything else, such as an Import-Csv row, is an error record saying what to pipe instead.</para>
/// <para>The encoding and limit come from -Model (default gpt-4o-mini) through the model catalog; -Encoding and -TokenLimit override them. Files are streamed: one thread reads, all cores count, memory does not grow with the file beyond three numbers per example. A line that is not an example is reported as an error and skipped; run Test-FineTuneDataset for a full check.</para>
/// </remarks>
/// <example>
/// <code>Measure-FineTuneDataset ./train.jsonl -Model gpt-4o-mini-2024-07-18</code>
/// <para>Counts the tokens of train.jsonl with o200k_base and the 65,536-token example limit of gpt-4o-mini.</para>
/// </example>
/// <example>
/// <code>Measure-FineTuneDataset ./train.jsonl -PerExample | Where-Object Tokens -gt 4096 | Select-Object Line, Tokens</code>
/// <para>Lists the examples longer than 4,096 tokens with their line numbers.</para>
/// </example>
/// <example>
/// <code>Import-Jsonl ./train.jsonl | Where-Object { $_.messages.Count -gt 3 } | Measure-FineTuneDataset</code>
/// <para>Measures only the multi-turn conversations of a file.</para>
/// </example>
/// <example>
/// <code>Get-ChildItem ./data/*.jsonl | Measure-FineTuneDataset -Encoding cl100k_base -TokenLimit 4096 | Format-List Path, BillableTokens, TokensPerExample</code>
/// <para>Measures every JSONL file of a folder with cl100k_base and a 4,096-token limit.</para>
/// </example>
[Cmdlet(VerbsDiagnostic.Measure, "FineTuneDataset", DefaultParameterSetName = PathSet)]
[OutputType(typeof(DatasetMeasurement), typeof(ExampleTokenCount))]
public sealed class MeasureFineTuneDatasetCommand : MeasurementCmdlet
{
    /// <summary>Training files to measure; wildcards are allowed.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
    [SupportsWildcards]
    public string[]? Path { get; set; }

    /// <summary>Training files to measure, taken literally (no wildcards).</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet)]
    [Alias("PSPath", "LP")]
    public string[]? LiteralPath { get; set; }

    /// <summary>What the pipeline brings: file paths, files from Get-ChildItem, typed examples, objects read by Import-Jsonl, or lines of JSON text. Examples are measured together as one dataset.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    public PSObject[]? InputObject { get; set; }

    /// <summary>The base model (alias, snapshot or fine-tuned name) whose encoding and token limit to use; gpt-4o-mini when neither -Model nor -Encoding is given.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(ModelNameCompleter))]
    public string? Model { get; set; }

    /// <summary>The provider whose catalog entry for -Model to use: OpenAI (default) or AzureOpenAI.</summary>
    [Parameter]
    [ValidateSet("OpenAI", "AzureOpenAI")]
    public string? Provider { get; set; }

    /// <summary>The token encoding, overriding the model's: cl100k_base or o200k_base.</summary>
    [Parameter]
    [ValidateSet("cl100k_base", "o200k_base")]
    public string? Encoding { get; set; }

    /// <summary>Most tokens per example before truncation, overriding the model's limit. With -Encoding and no -Model, no limit applies unless this is given.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? TokenLimit { get; set; }

    /// <summary>Return one object per example (Line, Tokens, AssistantTokens, Messages, OverLimit) instead of one per file.</summary>
    [Parameter]
    public SwitchParameter PerExample { get; set; }

    /// <summary>A catalog JSON file merged over the embedded catalog; defaults to the FINETUNE_CATALOG_PATH environment variable.</summary>
    [Parameter]
    public string? CatalogPath { get; set; }

    protected override void BeginProcessing() => SelectModel(CatalogPath, Model, Provider, Encoding, TokenLimit);

    protected override void ProcessRecord()
    {
        foreach (DatasetInput input in DatasetInputs(Path, LiteralPath, InputObject, DatasetInputKinds.Examples))
        {
            if (input.File is not string file)
            {
                if (MeasureExample(input) is ExampleTokenCount example && PerExample)
                {
                    WriteObject(example);
                }
                continue;
            }
            DatasetMeasurement? measurement = MeasureFile(file, PerExample ? example => WriteObject(example) : null);
            if (measurement is not null && !PerExample)
            {
                WriteObject(measurement);
            }
        }
    }

    protected override void EndProcessing()
    {
        if (CompleteExamples() is DatasetMeasurement examples && !PerExample)
        {
            WriteObject(examples);
        }
    }
}
