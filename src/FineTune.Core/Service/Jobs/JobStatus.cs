using System;

namespace FineTune;

/// <summary>
/// The statuses FineTune knows. The set is open: anything else the service reports is
/// treated as "still in progress" rather than as an error.
/// </summary>
public static class JobStatus
{
    public const string ValidatingFiles = "validating_files";
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Paused = "paused";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    /// <summary>True for the statuses above (and <c>canceled</c>); false for anything a service adds, such as Azure's <c>pending</c>.</summary>
    public static bool IsKnown(string? status) =>
        IsTerminal(status) || Is(status, ValidatingFiles) || Is(status, Queued) || Is(status, Running) || Is(status, Paused);

    /// <summary>True for succeeded, failed and cancelled (either spelling; Azure's older API writes <c>canceled</c>).</summary>
    public static bool IsTerminal(string? status) => IsSucceeded(status) || IsUnsuccessful(status);

    public static bool IsSucceeded(string? status) => Is(status, Succeeded);

    public static bool IsFailed(string? status) => Is(status, Failed);

    /// <summary>True for failed and cancelled: a terminal status that produced no model.</summary>
    public static bool IsUnsuccessful(string? status) => Is(status, Failed) || Is(status, Cancelled) || Is(status, "canceled");

    private static bool Is(string? status, string expected) => string.Equals(status, expected, StringComparison.OrdinalIgnoreCase);
}
