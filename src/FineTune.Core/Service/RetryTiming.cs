using System;
using System.Threading;
using System.Threading.Tasks;

namespace FineTune.Service;

/// <summary>
/// How the client waits between attempts: the delay function, the clock used to read
/// <c>retry-after</c> dates and the jitter source. Tests substitute a recording delay so they
/// never sleep; production uses <see cref="Default"/>.
/// </summary>
public sealed class RetryTiming
{
    public static RetryTiming Default => new();

    private static readonly object RandomLock = new();
    private static readonly Random SharedRandom = new();

    /// <summary>Waits the given time (default <c>Task.Delay</c>).</summary>
    public Func<TimeSpan, CancellationToken, Task> Delay { get; set; } = static (delay, token) => Task.Delay(delay, token);

    /// <summary>The current time, to turn an HTTP-date <c>retry-after</c> into a delay.</summary>
    public Func<DateTimeOffset> UtcNow { get; set; } = static () => DateTimeOffset.UtcNow;

    /// <summary>A number in [0, 1) for jitter.</summary>
    public Func<double> NextJitter { get; set; } = static () => { lock (RandomLock) { return SharedRandom.NextDouble(); } };

    /// <summary>First backoff step (doubles each retry), as in the official SDKs.</summary>
    public TimeSpan InitialDelay { get; set; } = TimeSpan.FromSeconds(0.5);

    /// <summary>Backoff ceiling.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>A server-requested wait above this is ignored in favour of the backoff.</summary>
    public TimeSpan MaxServerDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long, after a create whose outcome is unknown, the client keeps looking for what it may
    /// have created before it repeats the create or gives up: long enough for a service whose lists
    /// show new objects late (tens of seconds).
    /// </summary>
    public TimeSpan LookupWindow { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The wait before the second look-up; it doubles up to <see cref="LookupMaxInterval"/>.</summary>
    public TimeSpan LookupInitialInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between two look-ups.</summary>
    public TimeSpan LookupMaxInterval { get; set; } = TimeSpan.FromSeconds(8);
}
