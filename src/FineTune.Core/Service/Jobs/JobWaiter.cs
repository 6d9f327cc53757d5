using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace FineTune.Service.Jobs;

/// <summary>
/// Polls a job until its status is terminal, reporting progress and every new event as it
/// arrives. An unknown status simply keeps the wait going. Fails with
/// <c>FineTune.Job.WaitTimeout</c> when the policy's timeout passes first; the job itself is
/// untouched and keeps running on the service.
/// </summary>
internal sealed class JobWaiter
{
    private readonly Func<CancellationToken, Task<Job>> _retrieve;
    private readonly Action<string>? _log;
    private JobEventTracker? _events;
    private readonly JobWaitPolicy _policy;
    private readonly Func<TimeSpan, CancellationToken, Task> _delay;
    private readonly Func<DateTimeOffset> _utcNow;

    public JobWaiter(
        Func<CancellationToken, Task<Job>> retrieve,
        JobEventTracker? events,
        JobWaitPolicy policy,
        Func<TimeSpan, CancellationToken, Task> delay,
        Func<DateTimeOffset> utcNow,
        Action<string>? log = null)
    {
        _log = log;
        _retrieve = retrieve;
        _events = events;
        _policy = policy;
        _delay = delay;
        _utcNow = utcNow;
    }

    public async Task<Job> WaitAsync(string jobId, Action<JobProgress>? onProgress, Action<JobEvent>? onEvent, CancellationToken cancellationToken)
    {
        DateTimeOffset start = _utcNow();
        TimeSpan interval = _policy.InitialInterval;
        string? lastStatus = null;
        while (true)
        {
            // The job first, then its events: the events read afterwards include everything that
            // led to the status just seen, so a terminal job's last events are never missed.
            Job job = await _retrieve(cancellationToken).ConfigureAwait(false);
            IReadOnlyList<JobEvent> fresh = await NextEventsAsync(cancellationToken).ConfigureAwait(false);
            foreach (JobEvent item in fresh)
            {
                onEvent?.Invoke(item);
            }
            TimeSpan elapsed = _utcNow() - start;
            onProgress?.Invoke(new JobProgress
            {
                JobId = jobId,
                Status = job.Status,
                Step = _events?.LastStep,
                TotalSteps = _events?.TotalSteps,
                EstimatedFinish = job.EstimatedFinish,
                Elapsed = elapsed,
            });
            if (JobStatus.IsTerminal(job.Status))
            {
                return job;
            }

            bool changed = fresh.Count > 0 || !string.Equals(lastStatus, job.Status, StringComparison.Ordinal);
            if (changed && !string.Equals(lastStatus, job.Status, StringComparison.Ordinal) && !JobStatus.IsKnown(job.Status))
            {
                _log?.Invoke($"Job '{jobId}' is '{job.Status}', a status FineTune does not know; it is treated as not finished and the wait goes on.");
            }
            lastStatus = job.Status;
            interval = changed ? _policy.InitialInterval : _policy.Next(interval);

            TimeSpan pause = interval;
            if (_policy.Timeout is { } timeout)
            {
                TimeSpan remaining = timeout - elapsed;
                if (remaining <= TimeSpan.Zero)
                {
                    throw new FineTuneException("FineTune.Job.WaitTimeout", FailureKind.OperationTimeout,
                        $"Job '{jobId}' is still '{job.Status}' after waiting {Describe(timeout)}.", jobId,
                        "The job keeps running on the service: wait again with Wait-FineTuneJob, or give a longer -Timeout.");
                }
                if (remaining < pause)
                {
                    pause = remaining;
                }
            }
            await _delay(pause, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The new events; a host without the events endpoint (404) is waited on by status alone,
    /// since the events only decorate the wait.
    /// </summary>
    private async Task<IReadOnlyList<JobEvent>> NextEventsAsync(CancellationToken cancellationToken)
    {
        if (_events is null)
        {
            return Array.Empty<JobEvent>();
        }
        try
        {
            return await _events.NextAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ServiceException ex) when (ex.StatusCode == 404)
        {
            _log?.Invoke($"This service lists no events for the job ({ex.Message}); waiting on its status alone.");
            _events = null;
            return Array.Empty<JobEvent>();
        }
    }

    private static string Describe(TimeSpan span) =>
        span.TotalHours >= 1 ? $"{span.TotalHours:0.#} h" : span.TotalMinutes >= 1 ? $"{span.TotalMinutes:0.#} min" : $"{span.TotalSeconds:0.#} s";
}
