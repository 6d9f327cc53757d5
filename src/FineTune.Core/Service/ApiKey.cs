using System;

namespace FineTune.Service;

/// <summary>
/// An API key held so that it cannot leak by accident: no public property returns it,
/// and <see cref="ToString"/>, equality and serialisation never show it.
/// </summary>
public sealed class ApiKey
{
    private readonly string _value;

    public ApiKey(string value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException("An API key cannot be empty.", nameof(value));
        }
        _value = value.Trim();
    }

    /// <summary>The key itself, only for the header that carries it and for redaction.</summary>
    internal string Reveal() => _value;

    internal bool SameAs(ApiKey? other) => other is not null && string.Equals(_value, other._value, StringComparison.Ordinal);

    public override string ToString() => "(API key hidden)";
}
