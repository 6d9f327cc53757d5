using System;
using System.Text.Json;
using FineTune.Service;

namespace FineTune;

/// <summary>A file stored by the service (an OpenAI <c>file</c> object).</summary>
public sealed class ServiceFile
{
    public string Id { get; set; } = string.Empty;

    /// <summary>Size in bytes.</summary>
    public long Bytes { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public string FileName { get; set; } = string.Empty;

    /// <summary><c>fine-tune</c>, <c>fine-tune-results</c>, <c>batch</c>, ... (an open set).</summary>
    public string Purpose { get; set; } = string.Empty;

    /// <summary><c>uploaded</c>, <c>pending</c>, <c>running</c>, <c>processed</c>, <c>error</c>, ... (Azure reports processing here).</summary>
    public string? Status { get; set; }

    /// <summary>Why processing failed, when it did.</summary>
    public string? StatusDetails { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }

    public override string ToString() => Id;

    internal static ServiceFile FromJson(JsonElement json) => new()
    {
        Id = json.GetRequiredString("id", "file object"),
        Bytes = json.GetInt64OrNull("bytes") ?? 0,
        CreatedAt = json.GetUnixTimeOrNull("created_at") ?? DateTimeOffset.FromUnixTimeSeconds(0),
        FileName = json.GetStringOrNull("filename") ?? string.Empty,
        Purpose = json.GetStringOrNull("purpose") ?? string.Empty,
        Status = json.GetStringOrNull("status"),
        StatusDetails = json.GetStringOrNull("status_details"),
        ExpiresAt = json.GetUnixTimeOrNull("expires_at"),
    };
}
