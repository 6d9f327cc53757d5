using System.Collections.Generic;
using FineTune.Datasets;

namespace FineTune;

/// <summary>A training example in one of the service's file formats, written in its exact wire shape.</summary>
public abstract class FineTuneExample : IWireObject
{
    private protected FineTuneExample()
    {
    }

    /// <summary>The format name: <c>Chat</c>, <c>PromptCompletion</c> or <c>Preference</c>.</summary>
    public abstract DatasetFormat Format { get; }

    /// <summary>The example as one compact JSON line (without the line end).</summary>
    public string ToJson() => new JsonGraphWriter().ToJson(this);

    public override string ToString() => ToJson();

    IEnumerable<KeyValuePair<string, object?>> IWireObject.GetWireProperties() => WireProperties();

    internal abstract IEnumerable<KeyValuePair<string, object?>> WireProperties();
}

/// <summary>Builds wire property lists with <c>null</c> values left out.</summary>
internal static class Wire
{
    public static void Add(List<KeyValuePair<string, object?>> properties, string name, object? value)
    {
        if (value is not null)
        {
            properties.Add(new KeyValuePair<string, object?>(name, value));
        }
    }
}
