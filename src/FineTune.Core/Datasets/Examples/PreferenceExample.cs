using System.Collections.Generic;
using FineTune.Datasets;

namespace FineTune;

/// <summary>
/// A direct preference optimization (DPO) example: the conversation so far, the answer to
/// prefer and the answer to avoid.
/// </summary>
public sealed class PreferenceExample : FineTuneExample
{
    public override DatasetFormat Format => DatasetFormat.Preference;

    public PreferenceInput Input { get; set; } = new();

    /// <summary>The preferred assistant answer (one assistant message).</summary>
    public List<ChatMessage> PreferredOutput { get; set; } = new();

    /// <summary>The answer to avoid (one assistant message).</summary>
    public List<ChatMessage> NonPreferredOutput { get; set; } = new();

    internal override IEnumerable<KeyValuePair<string, object?>> WireProperties() => new[]
    {
        new KeyValuePair<string, object?>("input", Input),
        new KeyValuePair<string, object?>("preferred_output", PreferredOutput),
        new KeyValuePair<string, object?>("non_preferred_output", NonPreferredOutput),
    };
}

/// <summary>The <c>input</c> of a preference example: messages, and optionally tools.</summary>
public sealed class PreferenceInput : IWireObject
{
    public List<ChatMessage> Messages { get; set; } = new();

    public List<ChatTool>? Tools { get; set; }

    public bool? ParallelToolCalls { get; set; }

    IEnumerable<KeyValuePair<string, object?>> IWireObject.GetWireProperties()
    {
        var properties = new List<KeyValuePair<string, object?>>(3);
        Wire.Add(properties, "messages", Messages);
        Wire.Add(properties, "tools", Tools);
        Wire.Add(properties, "parallel_tool_calls", ParallelToolCalls);
        return properties;
    }
}
