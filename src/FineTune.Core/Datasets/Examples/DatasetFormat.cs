namespace FineTune;

/// <summary>The kinds of training file the service accepts.</summary>
public enum DatasetFormat
{
    /// <summary>Supervised chat: <c>{"messages":[...]}</c>.</summary>
    Chat,

    /// <summary>Legacy completion models: <c>{"prompt":"...","completion":"..."}</c>.</summary>
    PromptCompletion,

    /// <summary>Direct preference optimization: <c>input</c>, <c>preferred_output</c>, <c>non_preferred_output</c>.</summary>
    Preference,

    /// <summary>Reinforcement fine-tuning: <c>messages</c> without the answer, plus grader reference fields.</summary>
    Reinforcement,
}
