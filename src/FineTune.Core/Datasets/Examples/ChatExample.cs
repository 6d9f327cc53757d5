using System.Collections.Generic;

namespace FineTune;

/// <summary>A supervised chat example: the conversation, and the tools the model could call.</summary>
public sealed class ChatExample : FineTuneExample
{
    public override DatasetFormat Format => DatasetFormat.Chat;

    public List<ChatMessage> Messages { get; set; } = new();

    /// <summary>Tool definitions (<c>tools</c>), or null.</summary>
    public List<ChatTool>? Tools { get; set; }

    /// <summary>Legacy function definitions (<c>functions</c>), or null.</summary>
    public List<FunctionDefinition>? Functions { get; set; }

    public bool? ParallelToolCalls { get; set; }

    internal override IEnumerable<KeyValuePair<string, object?>> WireProperties()
    {
        var properties = new List<KeyValuePair<string, object?>>(4);
        Wire.Add(properties, "messages", Messages);
        Wire.Add(properties, "tools", Tools);
        Wire.Add(properties, "functions", Functions);
        Wire.Add(properties, "parallel_tool_calls", ParallelToolCalls);
        return properties;
    }
}
