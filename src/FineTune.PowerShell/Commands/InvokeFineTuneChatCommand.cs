using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using FineTune.Service.Chat;
using FineTune.PowerShell.Completers;

namespace FineTune.PowerShell.Commands;

/// <summary>Sends a message to a model and returns its reply.</summary>
/// <remarks>
/// <para>Sends -Message (after -SystemMessage, when given) to -Model through the chat completions API and writes the reply as a FineTune.ChatReply: Content, FinishReason (stop, length, content_filter...), PromptTokens, CompletionTokens and TotalTokens. Each message piped in is sent as its own conversation.</para>
/// <para>-Messages sends a whole conversation instead: objects or hashtables with role (system, developer, user or assistant) and content, such as the messages of a training example.</para>
/// <para>On Azure OpenAI, -Model is the name of the deployment of the fine-tuned model.</para>
/// </remarks>
/// <example>
/// <code>Invoke-FineTuneChat -Model $job.FineTunedModel -Message 'My VPN drops every hour.' -SystemMessage 'You answer IT support questions.'</code>
/// <para>Tries the fine-tuned model on one question.</para>
/// </example>
/// <example>
/// <code>Get-Content ./questions.txt | Invoke-FineTuneChat -Model ft:gpt-4o-mini-2024-07-18:my-org:helpdesk:abc123 | Select-Object Content, TotalTokens</code>
/// <para>Asks each question of a file and shows the answers and the tokens used.</para>
/// </example>
/// <example>
/// <code>Invoke-FineTuneChat -Model gpt-4o-mini -Messages @{ role = 'user'; content = 'Hi' }, @{ role = 'assistant'; content = 'Hello!' }, @{ role = 'user'; content = 'Who are you?' }</code>
/// <para>Continues a conversation.</para>
/// </example>
[Cmdlet(VerbsLifecycle.Invoke, "FineTuneChat", DefaultParameterSetName = MessageSet)]
[OutputType(typeof(ChatReply))]
public sealed class InvokeFineTuneChatCommand : FineTuneServiceCmdlet
{
    private const string MessageSet = "Message";
    private const string MessagesSet = "Messages";

    /// <summary>The model to send to: a fine-tuned model (ft:...), a checkpoint, a base model, or on Azure a deployment name. Tab completion offers the account's fine-tuned models, then the catalog's base models.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ChatModelCompleter))]
    public string? Model { get; set; }

    /// <summary>The user message to send.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true, ParameterSetName = MessageSet)]
    [ValidateNotNullOrEmpty]
    public string? Message { get; set; }

    /// <summary>A conversation: objects or hashtables with role and content, sent in order.</summary>
    [Parameter(Mandatory = true, ParameterSetName = MessagesSet)]
    [ValidateNotNullOrEmpty]
    public object[]? Messages { get; set; }

    /// <summary>A system message sent before the others.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SystemMessage { get; set; }

    /// <summary>Sampling temperature from 0 to 2; the service's default when omitted.</summary>
    [Parameter]
    [ValidateRange(0.0, 2.0)]
    public double? Temperature { get; set; }

    /// <summary>The most tokens the reply may have.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? MaxCompletionTokens { get; set; }

    protected override void ProcessRecord()
    {
        var turns = new List<ChatTurn>();
        if (SystemMessage is not null)
        {
            turns.Add(new ChatTurn("system", SystemMessage));
        }
        if (ParameterSetName == MessageSet)
        {
            turns.Add(new ChatTurn("user", Message!));
        }
        else
        {
            for (int i = 0; i < Messages!.Length; i++)
            {
                if (ToTurn(Messages[i], i + 1) is not { } turn)
                {
                    return;
                }
                turns.Add(turn);
            }
        }
        string model = Model!;
        RunService(async (client, token) =>
        {
            ChatReply reply = await new ChatClient(client).CompleteAsync(model, turns, Temperature, MaxCompletionTokens, token).ConfigureAwait(false);
            Post(() => WriteObject(reply));
        }, model);
    }

    /// <summary>Reads role and content from a hashtable or any object with those properties.</summary>
    private ChatTurn? ToTurn(object? item, int number)
    {
        string? role = null;
        object? content = null;
        object? value = item is PSObject wrapped ? wrapped.BaseObject : item;
        if (value is IDictionary dictionary)
        {
            foreach (DictionaryEntry entry in dictionary)
            {
                string key = entry.Key?.ToString() ?? string.Empty;
                if (string.Equals(key, "role", StringComparison.OrdinalIgnoreCase))
                {
                    role = entry.Value?.ToString();
                }
                else if (string.Equals(key, "content", StringComparison.OrdinalIgnoreCase))
                {
                    content = entry.Value;
                }
            }
        }
        else if (item is not null)
        {
            PSObject shaped = PSObject.AsPSObject(item);
            role = shaped.Properties["role"]?.Value?.ToString();
            content = shaped.Properties["content"]?.Value;
        }
        content = content is PSObject c ? c.BaseObject : content;
        if (role is null || content is not string text)
        {
            WriteError(ToErrorRecord("FineTune.Chat.InvalidMessages", ErrorCategory.InvalidArgument,
                $"Message {number} of -Messages needs a role and a text content.", item,
                "Write each message as @{ role = 'user'; content = 'text' }."));
            return null;
        }
        return new ChatTurn(role.ToLowerInvariant(), text);
    }
}
