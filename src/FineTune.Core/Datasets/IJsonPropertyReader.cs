using System.Collections.Generic;

namespace FineTune.Datasets;

/// <summary>
/// Lets a host (the PowerShell layer) teach <see cref="JsonGraphWriter"/> and
/// <c>ExampleConverter</c> its own object kinds without the engine knowing them.
/// </summary>
public interface IJsonPropertyReader
{
    /// <summary>
    /// The value to serialize in place of <paramref name="value"/> (for example the object a
    /// wrapper holds); return <paramref name="value"/> itself when there is nothing to unwrap.
    /// </summary>
    object? Unwrap(object value);

    /// <summary>
    /// When <paramref name="value"/> is a property bag the host knows (after <see cref="Unwrap"/>),
    /// its properties in order; otherwise false and the engine's own rules apply.
    /// </summary>
    bool TryGetProperties(object value, out IEnumerable<KeyValuePair<string, object?>> properties);
}

/// <summary>An engine type that knows its own JSON wire shape (snake_case keys, nulls omitted).</summary>
internal interface IWireObject
{
    IEnumerable<KeyValuePair<string, object?>> GetWireProperties();
}
