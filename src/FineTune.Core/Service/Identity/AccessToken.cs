using System;

namespace FineTune.Service.Identity;

/// <summary>
/// An Entra ID bearer token and when it expires. Like <see cref="ApiKey"/>, it never shows its
/// value: no public property returns it and <see cref="ToString"/> hides it.
/// </summary>
public sealed class AccessToken
{
    private readonly string _value;

    internal AccessToken(string value, DateTimeOffset expiresOn)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException("A token cannot be empty.", nameof(value));
        }
        _value = value.Trim();
        ExpiresOn = expiresOn;
    }

    /// <summary>When the token stops being accepted (UTC).</summary>
    public DateTimeOffset ExpiresOn { get; }

    /// <summary>The token itself, only for the Authorization header and for redaction.</summary>
    internal string Reveal() => _value;

    public override string ToString() => $"(token hidden, expires {ExpiresOn:u})";
}
