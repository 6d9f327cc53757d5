using System.Management.Automation;
using FineTune.Datasets;

namespace FineTune.PowerShell.Commands;

/// <summary>Converts rows (CSV records, objects, hashtables) into typed fine-tuning examples.</summary>
/// <remarks>
/// <para>Each input object becomes one example: a chat example (<c>{"messages":[...]}</c>, the default), a legacy prompt-completion example, or a preference (DPO) example with a preferred and a non-preferred answer. The output objects are written by <c>Export-Jsonl</c> in the service's exact wire format.</para>
/// <para>The columns come from <c>-UserProperty</c>, <c>-AssistantProperty</c> and <c>-SystemProperty</c>. When they are omitted, the usual names are recognized, case-insensitively: prompt/completion, question/answer, input/output, user/assistant (and chosen/rejected or preferred/non_preferred for preference data); <c>-Verbose</c> says which columns were chosen. A column named system supplies a per-row system message; <c>-SystemMessage</c> supplies one for every row that has none.</para>
/// <para>Objects that already carry <c>messages</c> (for example lines read by <c>Import-Jsonl</c>) pass through as typed chat examples, and typed examples pass through unchanged.</para>
/// <para>A row that cannot be converted (a missing column, an empty user or assistant value) is a non-terminating error naming the row number and the column; the other rows go on. Nothing is dropped silently.</para>
/// <para>A row with a single column whose name holds a ';', a tab or a '|' (such as Question;Answer) shows a CSV read with the wrong delimiter: the command stops at that row with one error that names the delimiter to give Import-Csv -Delimiter.</para>
/// </remarks>
/// <example>
/// <code>Import-Csv ./qa.csv | ConvertTo-FineTuneExample -SystemMessage 'You answer IT support questions.' -UserProperty Question -AssistantProperty Answer | Export-Jsonl ./qa.jsonl</code>
/// <para>Turns every CSV row into a chat example with a fixed system message and writes the training file.</para>
/// </example>
/// <example>
/// <code>Import-Csv ./pairs.csv | ConvertTo-FineTuneExample -Verbose</code>
/// <para>Recognizes the columns by name (for example prompt and completion) and says in the verbose stream which ones were used.</para>
/// </example>
/// <example>
/// <code>Import-Csv ./prefs.csv | ConvertTo-FineTuneExample -Format Preference -UserProperty Prompt -AssistantProperty Good -NonPreferredProperty Bad</code>
/// <para>Builds preference (DPO) examples from a prompt, the answer to prefer and the answer to avoid.</para>
/// </example>
[Cmdlet(VerbsData.ConvertTo, "FineTuneExample")]
[OutputType(typeof(ChatExample), typeof(PromptCompletionExample), typeof(PreferenceExample))]
public sealed class ConvertToFineTuneExampleCommand : FineTuneCmdlet
{
    private ExampleConverter? _converter;
    private long _row;

    /// <summary>The row to convert: a CSV record, a custom object, a hashtable, an object with messages, or a typed example.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, Position = 0)]
    [AllowNull]
    public PSObject? InputObject { get; set; }

    /// <summary>The example format: <c>Chat</c> (default), <c>PromptCompletion</c> (legacy) or <c>Preference</c> (DPO).</summary>
    [Parameter]
    [ValidateSet("Chat", "PromptCompletion", "Preference")]
    public DatasetFormat Format { get; set; } = DatasetFormat.Chat;

    /// <summary>A system message put first in every example whose row has no system message of its own.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SystemMessage { get; set; }

    /// <summary>The property (column) holding the user's text; recognized from prompt, question, input or user when omitted.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? UserProperty { get; set; }

    /// <summary>The property (column) holding the assistant's answer (the preferred one for <c>-Format Preference</c>); recognized from completion, answer, output or assistant when omitted.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? AssistantProperty { get; set; }

    /// <summary>The property (column) holding a per-row system message; a column named system is used when omitted.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SystemProperty { get; set; }

    /// <summary>For <c>-Format Preference</c>: the property (column) holding the answer to avoid; recognized from non_preferred_output, non_preferred or rejected when omitted.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? NonPreferredProperty { get; set; }

    protected override void BeginProcessing()
    {
        try
        {
            _converter = new ExampleConverter(new ExampleConversionOptions
            {
                Format = Format,
                SystemMessage = SystemMessage,
                UserProperty = UserProperty,
                AssistantProperty = AssistantProperty,
                SystemProperty = SystemProperty,
                NonPreferredProperty = NonPreferredProperty,
            }, PSObjectPropertyReader.Instance);
        }
        catch (FineTuneException ex)
        {
            ThrowTerminatingError(ex);
        }
    }

    protected override void ProcessRecord()
    {
        _row++;
        try
        {
            FineTuneExample example = _converter!.Convert(InputObject, _row, out ColumnMapping? mapping);
            if (mapping is not null)
            {
                WriteVerbose($"Row {_row}: {mapping}.");
            }
            WriteObject(example);
        }
        catch (FineTuneException ex) when (ex.ErrorId == ExampleConverter.WrongDelimiterErrorId)
        {
            // Every row of the file is split the same wrong way: one error says it, not one per row.
            ThrowTerminatingError(ex, InputObject);
        }
        catch (FineTuneException ex)
        {
            WriteError(ex, InputObject);
        }
    }
}
