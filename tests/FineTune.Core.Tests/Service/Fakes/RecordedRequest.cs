using System;
using System.Collections.Generic;

namespace FineTune.Tests.Service.Fakes;

/// <summary>What the fake server saw of one request (the body only when it was read by a route).</summary>
public sealed class RecordedRequest
{
    public required string Method { get; init; }

    /// <summary>The path including the API prefix (<c>/v1/files</c> or <c>/openai/files</c>).</summary>
    public required string Path { get; init; }

    /// <summary>The request target exactly as sent (path and query, still percent-encoded).</summary>
    public string RawTarget { get; init; } = string.Empty;

    /// <summary>The raw query string including '?', or empty.</summary>
    public required string QueryString { get; init; }

    public required IReadOnlyDictionary<string, string> Headers { get; init; }

    public string? ContentType { get; init; }

    public long? ContentLength { get; init; }

    public string? Header(string name) => Headers.TryGetValue(name, out string? value) ? value : null;

    public override string ToString() => $"{Method} {Path}{QueryString}";
}
