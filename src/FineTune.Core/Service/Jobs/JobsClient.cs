using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using FineTune.Service.Files;

namespace FineTune.Service.Jobs;

/// <summary>
/// The fine-tuning jobs API: create (never twice), list, retrieve, cancel, pause, resume, wait,
/// events, checkpoints and the per-step metrics of the result files.
/// </summary>
public sealed class JobsClient
{
    private const string JobsPath = "fine_tuning/jobs";
    private const int EventPageSize = 50;

    /// <summary>How many of the newest jobs are searched for one an uncertain create may have made.</summary>
    private const int RecoveryScanLimit = 100;

    private readonly ServiceClient _client;
    private readonly Func<TimeSpan, CancellationToken, Task> _delay;
    private readonly Func<DateTimeOffset> _utcNow;

    public JobsClient(ServiceClient client)
        : this(client, null, null)
    {
    }

    internal JobsClient(ServiceClient client, Func<TimeSpan, CancellationToken, Task>? delay, Func<DateTimeOffset>? utcNow)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _delay = delay ?? client.Connection.RetryTiming.Delay;
        _utcNow = utcNow ?? client.Connection.RetryTiming.UtcNow;
    }

    /// <summary>
    /// Creates a job. Every job is tagged with a fresh <c>finetune_request_id</c> in its metadata;
    /// when an attempt's outcome is unknown (no clean answer, see <see cref="ServiceRequest.NotIdempotent"/>),
    /// the jobs carrying that id are looked up, over a window long enough for a lagging job list,
    /// before the create is repeated, so at most one job results.
    /// </summary>
    public async Task<Job> CreateAsync(JobCreateOptions options, CancellationToken cancellationToken)
    {
        string requestId = NewRequestId();
        byte[] body = JobRequest.Write(options, requestId);
        var request = new ServiceRequest(System.Net.Http.HttpMethod.Post, JobsPath)
        {
            Content = () => ServiceRequest.JsonContent(body),
            NotIdempotent = true,
            Target = options.TrainingFile,
            Operation = "create a fine-tuning job",
            Expects = ExpectedAnswer.Job,
            FindItAdvice = $"If the job was created, it carries {JobRequest.RequestIdKey} '{requestId}' in its metadata: Get-FineTuneJob -Metadata @{{ {JobRequest.RequestIdKey} = '{requestId}' }}.",
        };
        request.FindExisting = token => FindByRequestIdAsync(requestId, token);
        try
        {
            JsonElement json = await _client.SendJsonAsync(request, cancellationToken).ConfigureAwait(false);
            return JobJson.ReadJob(json);
        }
        catch (ServiceException ex) when (TrainingTierHint.Applies(ex, _client.Connection))
        {
            throw TrainingTierHint.Explain(ex, options);
        }
    }

    public async Task<Job> GetAsync(string jobId, CancellationToken cancellationToken) =>
        JobJson.ReadJob(await _client.SendJsonAsync(ForJob(ServiceRequest.Get(JobPath(jobId)), jobId, "retrieve"), cancellationToken).ConfigureAwait(false));

    public Task<Job> CancelAsync(string jobId, CancellationToken cancellationToken) => PostActionAsync(jobId, "cancel", cancellationToken);

    public Task<Job> PauseAsync(string jobId, CancellationToken cancellationToken) => PostActionAsync(jobId, "pause", cancellationToken);

    public Task<Job> ResumeAsync(string jobId, CancellationToken cancellationToken) => PostActionAsync(jobId, "resume", cancellationToken);

    /// <summary>Jobs newest first, page by page, filtered as <paramref name="filter"/> says.</summary>
    public async IAsyncEnumerable<Job> ListAsync(JobListFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (filter.First is <= 0)
        {
            yield break;
        }
        var query = filter.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => new KeyValuePair<string, string?>($"metadata[{p.Key}]", p.Value))
            .ToList();
        bool filterHere = filter.Statuses.Count > 0 || filter.Metadata.Count > 0;
        int? pageSize = filterHere ? 100 : filter.First is int f ? Math.Min(f, 100) : 100;
        int yielded = 0;
        await foreach (JsonElement item in _client.ListAsync(JobsPath, query, null, pageSize, cancellationToken).ConfigureAwait(false))
        {
            Job job = JobJson.ReadJob(item);
            if (!Matches(job, filter))
            {
                continue;
            }
            yield return job;
            if (filter.First is int max && ++yielded >= max)
            {
                yield break;
            }
        }
    }

    /// <summary>
    /// The job's events oldest first. With <paramref name="newest"/>, only that many of the most
    /// recent events (still oldest first); otherwise every event, read in full before returning
    /// because the service lists them newest first.
    /// </summary>
    public async Task<IReadOnlyList<JobEvent>> GetEventsAsync(string jobId, int? newest, CancellationToken cancellationToken)
    {
        var events = new List<JobEvent>();
        if (newest is <= 0)
        {
            return events;
        }
        await foreach (JobEvent item in EventsNewestFirst(jobId, newest, cancellationToken).ConfigureAwait(false))
        {
            events.Add(item);
        }
        events.Reverse();
        return events;
    }

    /// <summary>
    /// Polls the job until it ends, reporting progress and each new event as it arrives (the
    /// events already there are reported first). Returns the final job, whatever its status:
    /// see <see cref="JobFailure.ToException"/> for failed and cancelled jobs.
    /// </summary>
    /// <param name="jobId">The job to wait for.</param>
    /// <param name="policy">Poll intervals and timeout.</param>
    /// <param name="onProgress">Called after each poll (null: no progress).</param>
    /// <param name="onEvent">Called with each new event, oldest first (null: events are not read).</param>
    /// <param name="cancellationToken">Ctrl+C.</param>
    /// <param name="initialEvents">Of the events already there at the start, report only this many of the most recent (null: all).</param>
    public Task<Job> WaitAsync(string jobId, JobWaitPolicy policy, Action<JobProgress>? onProgress, Action<JobEvent>? onEvent, CancellationToken cancellationToken, int? initialEvents = null)
    {
        JobEventTracker? tracker = onEvent is null && onProgress is null
            ? null
            : new JobEventTracker(token => EventsNewestFirst(jobId, null, token), initialEvents);
        var waiter = new JobWaiter(token => GetAsync(jobId, token), tracker, policy, _delay, _utcNow, _client.Log);
        return waiter.WaitAsync(jobId, onProgress, onEvent, cancellationToken);
    }

    public async IAsyncEnumerable<Checkpoint> ListCheckpointsAsync(string jobId, int? first, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string path = JobPath(jobId) + "/checkpoints";
        await foreach (JsonElement item in _client.ListAsync(path, null, first, first is int f ? Math.Min(f, 100) : 100, cancellationToken).ConfigureAwait(false))
        {
            yield return JobJson.ReadCheckpoint(item, jobId);
        }
    }

    /// <summary>
    /// The per-step metrics of a job: each of its result files downloaded and parsed. A job
    /// with no result file yet (still running, or failed early) has no metrics and is an error
    /// saying so.
    /// </summary>
    public async IAsyncEnumerable<MetricStep> GetMetricsAsync(string jobId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Job job = await GetAsync(jobId, cancellationToken).ConfigureAwait(false);
        await foreach (MetricStep step in GetMetricsAsync(job, cancellationToken).ConfigureAwait(false))
        {
            yield return step;
        }
    }

    /// <summary>The metrics of a job already read (its result files as that read listed them).</summary>
    internal async IAsyncEnumerable<MetricStep> GetMetricsAsync(Job job, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string jobId = job.Id;
        if (job.ResultFiles.Count == 0)
        {
            throw new FineTuneException("FineTune.Job.NoResultFile", FailureKind.ObjectNotFound,
                $"Job '{jobId}' has no result file yet (status '{job.Status}').", jobId,
                JobStatus.IsTerminal(job.Status)
                    ? "The service wrote no metrics for this job; Get-FineTuneEvent shows what happened."
                    : "Metrics are written when the job ends: wait with Wait-FineTuneJob, or read the metrics events with Get-FineTuneEvent.");
        }
        foreach (string fileId in job.ResultFiles)
        {
            byte[] content = await DownloadAsync(fileId, cancellationToken).ConfigureAwait(false);
            using var reader = new System.IO.StringReader(ResultFile.DecodeContent(content));
            foreach (MetricStep step in ResultFile.Parse(reader, jobId, fileId))
            {
                yield return step;
            }
        }
    }

    internal IAsyncEnumerable<JobEvent> EventsNewestFirst(string jobId, int? first, CancellationToken cancellationToken) =>
        ReadEvents(_client.ListAsync(JobPath(jobId) + "/events", null, first, first is int f ? Math.Min(f, 100) : EventPageSize, cancellationToken), jobId);

    /// <summary>The job's event objects exactly as the service sends them, newest first (what an archive keeps).</summary>
    internal IAsyncEnumerable<JsonElement> EventObjectsNewestFirst(string jobId, CancellationToken cancellationToken) =>
        _client.ListAsync(JobPath(jobId) + "/events", null, null, 100, cancellationToken);

    /// <summary>The job's checkpoint objects exactly as the service sends them, in its order (newest first).</summary>
    internal IAsyncEnumerable<JsonElement> CheckpointObjects(string jobId, CancellationToken cancellationToken) =>
        _client.ListAsync(JobPath(jobId) + "/checkpoints", null, null, 100, cancellationToken);

    internal static string NewRequestId() => "ftreq_" + Guid.NewGuid().ToString("N");

    private static async IAsyncEnumerable<JobEvent> ReadEvents(IAsyncEnumerable<JsonElement> items, string jobId)
    {
        await foreach (JsonElement item in items.ConfigureAwait(false))
        {
            yield return JobJson.ReadEvent(item, jobId);
        }
    }

    private async Task<Job> PostActionAsync(string jobId, string action, CancellationToken cancellationToken) =>
        JobJson.ReadJob(await _client.SendJsonAsync(ForJob(ServiceRequest.Post(JobPath(jobId) + "/" + action), jobId, action), cancellationToken).ConfigureAwait(false));

    /// <summary>
    /// Downloads a result file through the Files API (which restarts an interrupted download)
    /// into a temporary file, and returns its bytes; result files hold one short row per step.
    /// </summary>
    private async Task<byte[]> DownloadAsync(string fileId, CancellationToken cancellationToken)
    {
        string temp = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "finetune-result-" + Guid.NewGuid().ToString("N") + ".csv");
        try
        {
            await new FilesApi(_client).DownloadAsync(fileId, temp, null, cancellationToken, maxBytes: ResultFile.MaxBytes).ConfigureAwait(false);
            return System.IO.File.ReadAllBytes(temp);
        }
        finally
        {
            try
            {
                System.IO.File.Delete(temp);
            }
            catch (System.IO.IOException)
            {
                // A leftover temporary file is harmless; the metrics are what matter.
            }
        }
    }

    /// <summary>
    /// Looks for the job an uncertain create may have made: the jobs listed with the metadata
    /// filter, checked here as well, since a host that ignores the filter lists every job
    /// (newest first, so a fresh job is near the top).
    /// </summary>
    private async Task<JsonElement?> FindByRequestIdAsync(string requestId, CancellationToken cancellationToken)
    {
        var query = new[] { new KeyValuePair<string, string?>($"metadata[{JobRequest.RequestIdKey}]", requestId) };
        await foreach (JsonElement item in _client.ListAsync(JobsPath, query, RecoveryScanLimit, 100, cancellationToken).ConfigureAwait(false))
        {
            if (item.Property("metadata") is { } metadata && metadata.GetStringOrNull(JobRequest.RequestIdKey) == requestId)
            {
                return item;
            }
        }
        return null;
    }

    private static bool Matches(Job job, JobListFilter filter)
    {
        if (filter.Statuses.Count > 0 && !filter.Statuses.Any(s => string.Equals(s, job.Status, StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }
        foreach (KeyValuePair<string, string> pair in filter.Metadata)
        {
            if (!job.Metadata.TryGetValue(pair.Key, out string? value) || value != pair.Value)
            {
                return false;
            }
        }
        return true;
    }

    private static string JobPath(string jobId) => JobsPath + "/" + ServiceRequest.Segment(jobId);

    /// <summary>A call about one job, answered with that job.</summary>
    private static ServiceRequest ForJob(ServiceRequest request, string jobId, string verb)
    {
        request.Target = jobId;
        request.Operation = $"{verb} job {jobId}";
        request.Expects = ExpectedAnswer.Job;
        return request;
    }
}
