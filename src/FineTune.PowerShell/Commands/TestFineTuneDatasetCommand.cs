using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using FineTune.Datasets;
using FineTune.Measurement;
using FineTune.Models;
using FineTune.PowerShell.Completers;

namespace FineTune.PowerShell.Commands;

/// <summary>Checks fine-tuning files or examples against every rule the service enforces and the cookbook's advice.</summary>
/// <remarks>
/// <para>Writes one <c>FineTune.DatasetIssue</c> per problem, with <c>Path</c>, <c>Line</c> (empty only for whole-file issues), <c>Severity</c> (Error: the service rejects the file; Warning: advice), a stable <c>Code</c>, a <c>Message</c> saying what is wrong and how to fix it, and a <c>JsonPath</c> such as <c>$.messages[2].weight</c>. A clean file writes nothing; with <c>-Quiet</c> the cmdlet returns one Boolean per file instead, True when the file has no error.</para>
/// <para>Files are streamed in one pass: a multi-GB file is checked in memory that does not grow with it. Chat files, legacy prompt-completion files, preference (DPO) files and reinforcement files are recognized from their first example and checked by their own rules; a file that mixes formats is an error. Duplicates are found by sorting a 16-byte fingerprint of every line: in memory up to a million lines, beyond that through a temporary file in the system's temporary folder (TMPDIR or TEMP; 24 bytes per line, deleted at once); they are reported after the other issues, in line order. Ctrl+C stops the check within a moment, wherever it is.</para>
/// <para>From the pipeline it takes files (paths, wildcards, <c>Get-ChildItem</c> output) and examples: typed examples from <c>ConvertTo-FineTuneExample</c>, objects read by <c>Import-Jsonl</c>, and lines of JSON text from <c>Get-Content</c>. Examples are checked together as the lines of one file; <c>Line</c> is then the example's position and <c>Path</c> is empty. An object that is not an example (such as an <c>Import-Csv</c> row: convert it with <c>ConvertTo-FineTuneExample</c>) or anything else is an error record saying what to pipe instead.</para>
/// <para>The codes:</para>
/// <para><c>EmptyFile</c> (Error): The file has no examples (it is empty or only blank lines).</para>
/// <para><c>TooFewExamples</c> (Error): Fewer than 10 examples: the service rejects the file.</para>
/// <para><c>FewExamples</c> (Warning): Fewer than 50 examples: training usually improves with 50 to 100 or more.</para>
/// <para><c>DuplicateExample</c> (Warning): The line is byte-for-byte the same example as an earlier line.</para>
/// <para><c>MixedFormats</c> (Error): The line is in a different format (chat, prompt-completion, preference) than the file's first example.</para>
/// <para><c>UnknownFormat</c> (Error): The object has none of messages, prompt/completion or input/preferred_output.</para>
/// <para><c>InvalidUtf8</c> (Error): The line is not valid UTF-8 (column given).</para>
/// <para><c>InvalidJson</c> (Error): The line is not valid JSON (column and the parser's reason given).</para>
/// <para><c>NotAnObject</c> (Error): The line is valid JSON but not an object.</para>
/// <para><c>NestingTooDeep</c> (Error): Objects and arrays are nested more than 256 levels deep.</para>
/// <para><c>DuplicateKey</c> (Error): The same key appears twice in one object.</para>
/// <para><c>LineTooLong</c> (Error): The line is longer than 256 MiB, the line limit of every FineTune reader; it is not read, and the lines after it are checked (on an input without an end, such as /dev/zero, the check stops there).</para>
/// <para><c>UnknownKey</c> (Error): A key the format does not define (for example a misspelled "mesages").</para>
/// <para><c>WrongType</c> (Error): A value has the wrong JSON type (for example a number where a string belongs).</para>
/// <para><c>MissingField</c> (Error): A required key is missing or empty (messages, prompt, completion, input, ...).</para>
/// <para><c>EmptyMessages</c> (Error): The messages array is empty.</para>
/// <para><c>MissingRole</c> (Error): A message has no role.</para>
/// <para><c>InvalidRole</c> (Error): A role other than system, user, assistant, tool or function.</para>
/// <para><c>MissingContent</c> (Error): A message has no content or empty content (assistant messages may call tools instead).</para>
/// <para><c>InvalidContentPart</c> (Error): A content part is malformed, of an unknown type, or an image in an assistant message.</para>
/// <para><c>InvalidName</c> (Error): A name is not 1 to 64 letters, digits, underscores or hyphens.</para>
/// <para><c>FieldNotAllowed</c> (Error): A key on a role that cannot have it (weight or tool_calls off assistant messages, tool_call_id off tool messages).</para>
/// <para><c>InvalidWeight</c> (Error): A weight other than 0 or 1.</para>
/// <para><c>MissingAssistant</c> (Error): The example has no assistant message to learn from.</para>
/// <para><c>NoTrainedAssistant</c> (Error): Every assistant message has weight 0, so nothing is trained.</para>
/// <para><c>InvalidToolCall</c> (Error): A tool call lacks an id, the type function, a function name or string arguments.</para>
/// <para><c>InvalidFunctionCall</c> (Error): A function_call lacks a name or string arguments.</para>
/// <para><c>MissingToolCallId</c> (Error): A tool message has no tool_call_id.</para>
/// <para><c>UnknownToolCallId</c> (Error): A tool message answers a tool call id that no earlier assistant message made.</para>
/// <para><c>InvalidTool</c> (Error): A tools entry is not {"type":"function","function":{"name":...}} with a valid name and object parameters.</para>
/// <para><c>InvalidFunction</c> (Error): A functions entry lacks a valid name or has non-object parameters.</para>
/// <para><c>SpecialToken</c> (Error): Text contains special-token text such as &lt;|endoftext|&gt; or &lt;|im_start|&gt;, which the service rejects.</para>
/// <para><c>OverTokenLimit</c> (Warning): only with <c>-Model</c>: the example has more tokens than the model trains on, so the service truncates it; the message gives its token count. Shorten or split the example.</para>
/// <para><c>MissingSystemMessage</c> (Warning): The example has no system message (cookbook advice: use the same one as at inference).</para>
/// <para><c>MissingUserMessage</c> (Warning): The example has no user message.</para>
/// <para><c>InvalidPreferenceOutput</c> (Error): preferred_output or non_preferred_output is not exactly one assistant message.</para>
/// <para><c>ReinforcementEndsWithAssistant</c> (Error): A reinforcement example ends with an assistant message; the model writes that answer itself.</para>
/// </remarks>
/// <example>
/// <code>Test-FineTuneDataset ./qa.jsonl | Group-Object Code</code>
/// <para>Checks a training file and counts its problems by code.</para>
/// </example>
/// <example>
/// <code>Get-ChildItem ./data/*.jsonl | Test-FineTuneDataset -Quiet</code>
/// <para>Returns True or False for each file, in the order of the files: whether the service would accept it.</para>
/// </example>
/// <example>
/// <code>Get-ChildItem ./data/*.jsonl | Select-Object Name, @{ Name = 'Accepted'; Expression = { Test-FineTuneDataset -LiteralPath $_.FullName -Quiet } }</code>
/// <para>Shows each file's name next to its answer, one row per file.</para>
/// </example>
/// <example>
/// <code>Test-FineTuneDataset ./qa.jsonl -Model gpt-4o-mini-2024-07-18 | Where-Object Code -eq OverTokenLimit</code>
/// <para>Lists the examples the model would truncate, each with its exact token count.</para>
/// </example>
/// <example>
/// <code>Import-Csv ./qa.csv | ConvertTo-FineTuneExample | Test-FineTuneDataset | Where-Object Severity -eq Error</code>
/// <para>Checks converted examples before they are written to a file.</para>
/// </example>
[Cmdlet(VerbsDiagnostic.Test, "FineTuneDataset", DefaultParameterSetName = PathSet)]
[OutputType(typeof(DatasetIssue), typeof(bool))]
public sealed class TestFineTuneDatasetCommand : FineTuneCmdlet, IDisposable
{
    private DatasetValidator? _examples;

    /// <summary>The files to check; wildcards are allowed.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>The files to check, used exactly as typed (no wildcards).</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = Array.Empty<string>();

    /// <summary>What the pipeline brings: file paths, files from Get-ChildItem, typed examples, objects read by Import-Jsonl, or lines of JSON text. Examples are checked together as the lines of one file.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    public PSObject[] InputObject { get; set; } = Array.Empty<PSObject>();

    /// <summary>Also warns (OverTokenLimit) about every example longer than this model's training limit, counting tokens exactly with its encoding; names and limits come from the model catalog (see Get-FineTuneBaseModel).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ModelNameCompleter))]
    public string? Model { get; set; }

    /// <summary>Returns one Boolean per file (or one for all examples from the pipeline), True when there is no error, in the order of the files. For a result per file that names the file, test each file on its own: Get-ChildItem *.jsonl | Select-Object Name, @{ Name = 'Accepted'; Expression = { Test-FineTuneDataset -LiteralPath $_.FullName -Quiet } }; or, without -Quiet, group the issues by Path.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    protected override void ProcessRecord()
    {
        foreach (DatasetInput input in DatasetInputs(Path, LiteralPath, InputObject, DatasetInputKinds.Examples))
        {
            if (input.File is string file)
            {
                CheckFile(file);
            }
            else
            {
                CheckExample(input);
            }
        }
    }

    protected override void EndProcessing()
    {
        if (_examples is null)
        {
            return;
        }
        try
        {
            Emit(_examples.Complete(CancellationToken));
        }
        catch (FineTuneException ex)
        {
            ThrowTerminatingError(ex);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        if (Quiet)
        {
            WriteObject(_examples.ErrorCount == 0);
        }
    }

    /// <summary>Called by PowerShell when the pipeline ends for any reason: releases the duplicate finder's temporary file.</summary>
    void IDisposable.Dispose()
    {
        _examples?.Dispose();
        _examples = null;
        Dispose();
    }

    /// <summary>The built-in rules, and the token limit of -Model when it is given.</summary>
    private DatasetValidationOptions Options()
    {
        var options = new DatasetValidationOptions();
        if (Model is { } model)
        {
            try
            {
                options.Rules.Add(TokenLimitRule.For(ModelSelection.Resolve(ModelCatalog.Load(), model, null, null, null), model));
            }
            catch (FineTuneException ex)
            {
                ThrowTerminatingError(ex, model);
            }
        }
        return options;
    }

    private void CheckFile(string file)
    {
        string activity = $"Checking {file}";
        DatasetValidationOptions options = Options();
        options.Progress = (done, total) => WriteProgress(new ProgressRecord(1, activity, $"{done / 1048576:N0} of {total / 1048576:N0} MB")
        {
            PercentComplete = total == 0 ? 100 : (int)Math.Min(100, done * 100 / total),
        });
        long errors = 0;
        try
        {
            foreach (DatasetIssue issue in DatasetValidator.ValidateFile(file, options, CancellationToken))
            {
                if (issue.Severity == DatasetIssueSeverity.Error)
                {
                    errors++;
                }
                if (!Quiet)
                {
                    WriteObject(issue);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            WriteError(new FineTuneException("FineTune.Dataset.ReadFailed", FailureKind.ReadError, $"Cannot read '{file}': {ex.Message}", file,
                "Check that the file exists and that you can read it.", ex));
            return;
        }
        catch (FineTuneException ex)
        {
            WriteError(ex, file);
            return;
        }
        catch (OperationCanceledException)
        {
            return;
        }
        finally
        {
            WriteProgress(new ProgressRecord(1, activity, "Done") { RecordType = ProgressRecordType.Completed });
        }
        if (Quiet)
        {
            WriteObject(errors == 0);
        }
    }

    /// <summary>Checks one example from the pipeline as the next line of one file; a blank line only counts as input.</summary>
    private void CheckExample(DatasetInput input)
    {
        _examples ??= new DatasetValidator(null, Options());
        if (input.Example!.Length > 0)
        {
            Emit(_examples.CheckLine(input.Example, input.Position));
        }
    }

    /// <summary>Writes the issues unless -Quiet; always enumerates them, since the validator counts errors as they are read.</summary>
    private void Emit(IEnumerable<DatasetIssue> issues)
    {
        foreach (DatasetIssue issue in issues)
        {
            if (!Quiet)
            {
                WriteObject(issue);
            }
        }
    }
}
