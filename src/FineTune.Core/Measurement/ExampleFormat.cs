namespace FineTune.Measurement;

/// <summary>The shape of a training example line.</summary>
public enum ExampleFormat
{
    /// <summary><c>{"messages":[...]}</c>, optionally with <c>tools</c> or <c>functions</c> (supervised and reinforcement files).</summary>
    Chat,

    /// <summary>Legacy <c>{"prompt":"...","completion":"..."}</c>.</summary>
    PromptCompletion,

    /// <summary>DPO: <c>{"input":{"messages":[...]},"preferred_output":[...],"non_preferred_output":[...]}</c>.</summary>
    Preference,
}
