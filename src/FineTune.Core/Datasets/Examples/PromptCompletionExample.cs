using System.Collections.Generic;

namespace FineTune;

/// <summary>A legacy completion example: <c>{"prompt":"...","completion":"..."}</c>.</summary>
public sealed class PromptCompletionExample : FineTuneExample
{
    public PromptCompletionExample()
    {
    }

    public PromptCompletionExample(string prompt, string completion)
    {
        Prompt = prompt;
        Completion = completion;
    }

    public override DatasetFormat Format => DatasetFormat.PromptCompletion;

    public string Prompt { get; set; } = string.Empty;

    public string Completion { get; set; } = string.Empty;

    internal override IEnumerable<KeyValuePair<string, object?>> WireProperties() => new[]
    {
        new KeyValuePair<string, object?>("prompt", Prompt),
        new KeyValuePair<string, object?>("completion", Completion),
    };
}
