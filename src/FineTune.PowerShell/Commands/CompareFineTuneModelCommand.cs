using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using FineTune.Evaluation;
using FineTune.Models;
using FineTune.PowerShell.Completers;
using FineTune.PowerShell.Evaluation;
using FineTune.Service.Chat;

namespace FineTune.PowerShell.Commands;

/// <summary>Compares models side by side on a test set: each model's answer, scores against the reference, an optional judge.</summary>
/// <remarks>
/// <para>Sends every example of a chat JSONL test set (-Path; the validation file of Split-FineTuneDataset is the usual one) or every example piped in (ConvertTo-FineTuneExample output) to each -Model. An example's messages up to its last assistant message are the prompt; that assistant message is the reference answer. Give the base model first: the others are measured against it.</para>
/// <para>Writes one FineTune.ComparisonResult per example, in file order, as soon as it and the examples before it are done: Line, UserMessage (the last user message) and Reference; then for the first model Model1, Answer1, ExactMatch1 (equal to the reference once white space and case are normalised), F1Score1 (token-level F1 over words, 0 to 1), LatencyMs1, PromptTokens1, CompletionTokens1, FinishReason1 and Error1, the same with 2 for the second model, and so on; with -JudgeModel also Judge2 and JudgeReason2 (Judge3... for more models), and JudgeModel. Every value is a plain string, number or Boolean, so Where-Object, Sort-Object and Export-Csv work on them as they are.</para>
/// <para>Calls run at most -ThrottleLimit at a time, through the session's connection with its retries and rate-limit waits; Ctrl+C stops at once. Progress shows the examples each model has answered.</para>
/// <para>-JudgeModel asks a model which of two answers is closer to the reference, twice, with the answers in swapped order: a verdict that only follows the order is a tie. Judge2 is Win, Tie or Loss for the second model against the first, with the judge's one-line reason in JudgeReason2. The judge runs at temperature 0.</para>
/// <para>-Summary adds, after the results, one FineTune.ComparisonSummary per model (and one for the judge): the exact-match rate, the mean F1, wins, ties and losses against the first model (by the judge when there is one, else by F1), the mean latency, the tokens and their cost at the model catalog's inference prices (empty when the catalog has no price, as for Azure deployments; see Get-FineTuneBaseModel).</para>
/// <para>A line that is not a usable chat example and a call that fails are non-terminating errors naming the line (FineTune.Evaluation.*, FineTune.Service.*); a failed call still writes its example's result, with the message in its Error column (Error2 for the second model). The rest goes on.</para>
/// </remarks>
/// <example>
/// <code>Compare-FineTuneModel -Model gpt-4o-mini-2024-07-18, ft:gpt-4o-mini-2024-07-18:my-org:helpdesk:abc123 -Path ./helpdesk.validation.jsonl -Summary | Where-Object Role</code>
/// <para>Answers every validation example with the base model and the fine-tuned one and shows only the summary: mean scores, wins against the base model, tokens and cost.</para>
/// </example>
/// <example>
/// <code>Compare-FineTuneModel -Model gpt-4o-mini-2024-07-18, ft:gpt-4o-mini-2024-07-18:my-org:helpdesk:abc123 -Path ./helpdesk.validation.jsonl -JudgeModel gpt-4.1-2025-04-14 -ThrottleLimit 8 | Where-Object Judge2 -eq Loss | Export-Csv ./losses.csv</code>
/// <para>Lets a judge model compare the answers and saves the examples where the fine-tuned model did worse than the base model.</para>
/// </example>
/// <example>
/// <code>Import-Csv ./holdout.csv | ConvertTo-FineTuneExample -SystemMessage 'You answer IT support questions.' | Compare-FineTuneModel -Model gpt-4o-mini-2024-07-18, ft:gpt-4o-mini-2024-07-18:my-org:helpdesk:abc123 -Temperature 0 -Seed 7 | Sort-Object F1Score2 | Select-Object -First 5 Line, UserMessage, Answer2</code>
/// <para>Compares on examples made from a CSV on the fly, with repeatable sampling, and lists the five answers of the fine-tuned model furthest from the reference.</para>
/// </example>
[Cmdlet(VerbsData.Compare, "FineTuneModel", DefaultParameterSetName = PathSet)]
[OutputType(typeof(ComparisonResult), typeof(ComparisonSummary))]
public sealed class CompareFineTuneModelCommand : FineTuneServiceCmdlet
{
    private const int ProgressId = 4300;

    private readonly ComparisonTally _tally = new();
    private ModelComparer? _comparer;
    private ComparisonProgressBars? _progress;
    private BoundedQueue<EvaluationInput>? _feed;
    private Task? _pipelineRun;
    private long _position;

    /// <summary>Two or more models (on Azure, deployment names), the base model first: the others are measured against it.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateCount(2, 16)]
    [ArgumentCompleter(typeof(FineTunedModelCompleter))]
    public string[] Model { get; set; } = Array.Empty<string>();

    /// <summary>The test set: chat JSONL files (wildcards allowed); binds the ValidationPath of Split-FineTuneDataset output.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = PathSet)]
    [Alias("ValidationPath")]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>The test set files, used exactly as typed.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = Array.Empty<string>();

    /// <summary>Examples from the pipeline (ConvertTo-FineTuneExample output); chat examples only.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    public FineTuneExample? InputObject { get; set; }

    /// <summary>A model that says which of two answers is closer to the reference (asked twice, in swapped order).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(FineTunedModelCompleter))]
    public string? JudgeModel { get; set; }

    /// <summary>Sampling temperature from 0 to 2 for the compared models; the service's default when omitted.</summary>
    [Parameter]
    [ValidateRange(0.0, 2.0)]
    public double? Temperature { get; set; }

    /// <summary>The most tokens an answer may have.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? MaxCompletionTokens { get; set; }

    /// <summary>A seed for repeatable sampling, sent with every call (the service honours it as best it can).</summary>
    [Parameter]
    public long? Seed { get; set; }

    /// <summary>Most calls in flight at once, over all models and the judge (default 5).</summary>
    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = 5;

    /// <summary>Also writes one FineTune.ComparisonSummary per model (and the judge) after the results.</summary>
    [Parameter]
    public SwitchParameter Summary { get; set; }

    protected override void BeginProcessing()
    {
        var options = new ComparisonOptions
        {
            Models = Model,
            JudgeModel = JudgeModel,
            Temperature = Temperature,
            MaxCompletionTokens = MaxCompletionTokens,
            Seed = Seed,
            ThrottleLimit = ThrottleLimit,
        };
        try
        {
            _comparer = new ModelComparer(new ChatClient(Client), options);
        }
        catch (FineTuneException ex)
        {
            ThrowTerminatingError(ex, Model);
        }
        _tally.SetJudge(JudgeModel);
        _comparer!.Result = result => Post(() => WriteResult(result));
        _comparer.InvalidInput = error => Post(() => WriteError(error));
    }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == InputObjectSet)
        {
            Feed(TestSetReader.FromExample(InputObject!, ++_position));
            return;
        }
        bool literal = ParameterSetName == LiteralPathSet;
        foreach (string file in ResolveFileSystemPaths(literal ? LiteralPath : Path, literal))
        {
            if (!CompareFile(file))
            {
                return;
            }
        }
    }

    protected override void EndProcessing()
    {
        if (_feed is not null && _pipelineRun is not null)
        {
            _feed.Complete();
            try
            {
                PumpUntil(_pipelineRun);
                _pipelineRun.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (FineTuneException ex)
            {
                ThrowTerminatingError(ex);
            }
            finally
            {
                _progress?.Complete();
                EndBackground();
            }
        }
        if (Summary && !CancellationToken.IsCancellationRequested)
        {
            WriteSummaries();
        }
    }

    private bool CompareFile(string file)
    {
        try
        {
            StartProgress("Comparing on " + System.IO.Path.GetFileName(file));
            RunAsync(async token =>
            {
                long lines = await Task.Run(() => TestSetReader.CountLines(file, token), token).ConfigureAwait(false);
                _progress!.SetTotal(lines);
                await _comparer!.RunAsync(ToAsync(TestSetReader.Read(file, token), token), token).ConfigureAwait(false);
            });
            return true;
        }
        catch (FineTuneException ex)
        {
            WriteError(ex, file);
            return true;
        }
        catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
        {
            return false;
        }
        finally
        {
            _progress!.Complete();
        }
    }

    private void StartProgress(string activity)
    {
        _progress = new ComparisonProgressBars(record => Post(() => WriteProgress(record)), ProgressId, activity, Model, JudgeModel);
        _comparer!.Progress = _progress.Report;
    }

    /// <summary>Hands one piped example to the running comparison, writing finished results while it waits for room.</summary>
    private void Feed(EvaluationInput input)
    {
        if (_feed is null)
        {
            StartProgress("Comparing piped examples");
            _feed = new BoundedQueue<EvaluationInput>(_comparer!.Window);
            BoundedQueue<EvaluationInput> feed = _feed;
            _pipelineRun = StartBackground(token => _comparer.RunAsync(feed.ReadAllAsync(token), token));
        }
        // A run that failed reads no more, so waiting for room alone could last for ever.
        PumpUntil(Task.WhenAny(_feed.AddAsync(input, CancellationToken), _pipelineRun!));
        if (_pipelineRun!.IsFaulted)
        {
            _progress?.Complete();
            EndBackground();
            if (_pipelineRun.Exception!.InnerException is FineTuneException failure)
            {
                ThrowTerminatingError(failure);
            }
            _pipelineRun.GetAwaiter().GetResult();
        }
    }

    private void WriteResult(ComparisonResult result)
    {
        _tally.Add(result);
        foreach (FineTuneException failure in result.GetFailures())
        {
            WriteError(failure);
        }
        WriteObject(ComparisonRows.ToPSObject(result));
    }

    private void WriteSummaries()
    {
        foreach (ComparisonSummary summary in _tally.Summaries(CatalogForCosts(), CatalogProvider()))
        {
            WriteObject(summary);
        }
    }

    private static async IAsyncEnumerable<EvaluationInput> ToAsync(IEnumerable<EvaluationInput> inputs, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (EvaluationInput input in inputs)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return input;
        }
        await Task.CompletedTask.ConfigureAwait(false);
    }
}
