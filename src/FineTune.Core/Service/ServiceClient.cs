using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace FineTune.Service;

/// <summary>
/// Sends <see cref="ServiceRequest"/>s through a <see cref="ServiceConnection"/>: builds the
/// provider's URL and headers, retries what may be retried, turns failures into
/// <see cref="ServiceException"/>s and reports each attempt to an optional log callback.
/// Cheap to create: make one per command with that command's log; the connection's
/// HttpClient is shared.
/// </summary>
public sealed class ServiceClient
{
    private static readonly string UserAgent = "FineTune-PowerShell/" + typeof(ServiceClient).Assembly.GetName().Version?.ToString(3);
    private const int MaxErrorBodyChars = 16 * 1024;

    private readonly Action<string>? _log;

    public ServiceClient(ServiceConnection connection, Action<string>? log = null)
    {
        Connection = connection ?? throw new ArgumentNullException(nameof(connection));
        _log = log;
    }

    public ServiceConnection Connection { get; }

    /// <summary>
    /// Writes one line to the log callback (the verbose stream), with every secret in use masked
    /// and control characters escaped, whatever service text the line quotes.
    /// </summary>
    public void Log(string message) => _log?.Invoke(ServiceText.Scrub(message));

    /// <summary>The full URL of a request for this connection's provider.</summary>
    public Uri BuildUri(ServiceRequest request)
    {
        var query = new List<KeyValuePair<string, string?>>();
        string root = (request.BaseAddress ?? Connection.BaseUri).GetLeftPart(UriPartial.Path).TrimEnd('/');
        if (request.BaseAddress is null && Connection.Provider == ServiceProvider.AzureOpenAI)
        {
            root = AzureRoot(root, Connection.UsesV1Api);
            if (!Connection.UsesV1Api)
            {
                query.Add(new KeyValuePair<string, string?>("api-version", Connection.ApiVersion));
            }
        }
        query.AddRange(request.Query);

        var builder = new StringBuilder(root).Append('/').Append(request.Path);
        char separator = request.Path.IndexOf('?') >= 0 ? '&' : '?';
        foreach (KeyValuePair<string, string?> pair in query)
        {
            if (pair.Value is null)
            {
                continue;
            }
            builder.Append(separator).Append(Uri.EscapeDataString(pair.Key)).Append('=').Append(Uri.EscapeDataString(pair.Value));
            separator = '&';
        }
        return new Uri(builder.ToString());
    }

    /// <summary>Azure's API root for an endpoint: <c>{endpoint}/openai/v1</c> for the v1 API, <c>{endpoint}/openai</c> for the dated one.</summary>
    private static string AzureRoot(string endpoint, bool v1)
    {
        bool hasV1 = endpoint.EndsWith("/openai/v1", StringComparison.OrdinalIgnoreCase);
        string openai = hasV1 ? endpoint.Substring(0, endpoint.Length - 3)
            : endpoint.EndsWith("/openai", StringComparison.OrdinalIgnoreCase) ? endpoint : endpoint + "/openai";
        return v1 ? openai + "/v1" : openai;
    }

    /// <summary>
    /// Sends the request, retrying as the connection allows, and returns the answer with its body
    /// unread (for a download, or an answer that may be empty); a non-success answer throws.
    /// </summary>
    public Task<ServiceResponse> SendAsync(ServiceRequest request, CancellationToken cancellationToken) =>
        SendCoreAsync(request ?? throw new ArgumentNullException(nameof(request)), readJson: false, cancellationToken);

    /// <summary>
    /// Sends the request and returns its JSON answer, checked to be what
    /// <see cref="ServiceRequest.Expects"/> says. A body that stalls, breaks off, is not JSON, is too
    /// large or is not the expected object counts as a failed attempt, so a create whose answer is
    /// unusable is looked up like one whose answer was lost.
    /// </summary>
    public async Task<JsonElement> SendJsonAsync(ServiceRequest request, CancellationToken cancellationToken)
    {
        using ServiceResponse response = await SendCoreAsync(request ?? throw new ArgumentNullException(nameof(request)), readJson: true, cancellationToken).ConfigureAwait(false);
        return await response.ReadJsonAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The items of a list endpoint (<c>data</c>), page after page through <c>after</c> and
    /// <c>has_more</c>, fetching the next page only when the caller wants more; stops after
    /// <paramref name="first"/> items when given. A page that says more follow but is empty, or
    /// whose cursor does not move on, ends the listing with FineTune.Service.InvalidResponse:
    /// asking again would only repeat it.
    /// </summary>
    public async IAsyncEnumerable<JsonElement> ListAsync(
        string path,
        IEnumerable<KeyValuePair<string, string?>>? query = null,
        int? first = null,
        int? pageSize = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (first is <= 0)
        {
            yield break;
        }
        int? limit = pageSize ?? (first is int f ? Math.Min(f, 100) : null);
        var cursor = new ListCursor(path);
        int yielded = 0;
        while (true)
        {
            var request = ServiceRequest.Get(path);
            if (query is not null)
            {
                request.Query.AddRange(query);
            }
            request.WithQuery("limit", limit?.ToString(CultureInfo.InvariantCulture)).WithQuery("after", cursor.After);
            request.Operation = "list " + path;
            request.Expects = ExpectedAnswer.List;
            request.Target = path;

            JsonElement page = await SendJsonAsync(request, cancellationToken).ConfigureAwait(false);
            JsonElement data = page.GetProperty("data");
            int count = data.GetArrayLength();
            string? end = page.GetStringOrNull("last_id") ?? (count > 0 ? data[count - 1].GetStringOrNull("id") : null);
            bool more = page.GetBooleanOrNull("has_more") == true;
            cursor.Check(end, count, more, BuildUri(request));
            foreach (JsonElement item in data.EnumerateArray())
            {
                yield return item;
                if (first is int max && ++yielded >= max)
                {
                    yield break;
                }
            }
            if (!more)
            {
                yield break;
            }
            cursor.MoveTo(end!);
        }
    }

    private async Task<ServiceResponse> SendCoreAsync(ServiceRequest request, bool readJson, CancellationToken cancellationToken)
    {
        Uri uri = BuildUri(request);
        string method = request.Method.Method;
        int maxRetries = Connection.MaxRetries;
        RetryTiming timing = Connection.RetryTiming;

        for (int retry = 0; ; retry++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            AttemptOutcome outcome = await AttemptAsync(request, uri, retry, readJson, cancellationToken).ConfigureAwait(false);
            if (outcome.Response is { } success)
            {
                return success;
            }

            ServiceException error = outcome.Error!;
            bool retryable = outcome.ShouldRetry && retry < maxRetries;
            bool unknownOutcome = request.NotIdempotent && outcome.MayHaveTakenEffect;
            if (unknownOutcome && request.FindExisting is null)
            {
                throw OutcomeUnknown(request, uri, error, lookedFor: null);
            }
            if (!retryable && !unknownOutcome)
            {
                throw error;
            }

            TimeSpan delay = outcome.ServerDelay ?? Backoff(timing, retry);
            if (retryable)
            {
                Log(string.Format(CultureInfo.InvariantCulture, "Retrying {0} {1} in {2:0.0} s (retry {3} of {4}): {5}",
                    method, uri, delay.TotalSeconds, retry + 1, maxRetries, error.Message));
            }
            await timing.Delay(delay, cancellationToken).ConfigureAwait(false);

            if (unknownOutcome)
            {
                // Whatever the status, and even with no retry left: the look-up tells a success whose answer was lost from a failure.
                JsonElement? existing = await LookUpAsync(request, uri, cancellationToken).ConfigureAwait(false);
                if (existing is { } found)
                {
                    Log($"{method} {uri}: the earlier attempt had succeeded; using what it created instead of repeating it.");
                    return new ServiceResponse(found);
                }
                if (!retryable)
                {
                    throw OutcomeUnknown(request, uri, error, lookedFor: timing.LookupWindow);
                }
                Log($"{method} {uri}: the earlier attempt created nothing that could be found in {timing.LookupWindow.TotalSeconds:0} s; repeating it.");
            }
        }
    }

    /// <summary>
    /// Runs <see cref="ServiceRequest.FindExisting"/> until it finds something or the look-up
    /// window of <see cref="RetryTiming"/> has passed, waiting longer between tries, since a
    /// service may list a new object only some seconds after creating it. A failing look-up counts
    /// as "not found yet".
    /// </summary>
    private async Task<JsonElement?> LookUpAsync(ServiceRequest request, Uri uri, CancellationToken cancellationToken)
    {
        RetryTiming timing = Connection.RetryTiming;
        TimeSpan waited = TimeSpan.Zero;
        TimeSpan step = timing.LookupInitialInterval;
        while (true)
        {
            try
            {
                if (await request.FindExisting!(cancellationToken).ConfigureAwait(false) is { } found)
                {
                    return found;
                }
            }
            catch (ServiceException ex)
            {
                Log($"Looking for what {request.Method.Method} {uri} may have created failed: {ex.Message}");
            }
            if (waited >= timing.LookupWindow)
            {
                return null;
            }
            TimeSpan next = step < timing.LookupWindow - waited ? step : timing.LookupWindow - waited;
            Log(string.Format(CultureInfo.InvariantCulture, "Nothing that {0} {1} may have created is listed yet; looking again in {2:0.#} s.", request.Method.Method, uri, next.TotalSeconds));
            await timing.Delay(next, cancellationToken).ConfigureAwait(false);
            waited += next;
            step = TimeSpan.FromTicks(Math.Min(step.Ticks * 2, timing.LookupMaxInterval.Ticks));
        }
    }

    private async Task<AttemptOutcome> AttemptAsync(ServiceRequest request, Uri uri, int retry, bool readJson, CancellationToken cancellationToken)
    {
        string method = request.Method.Method;
        TimeSpan timeout = request.Timeout ?? Connection.Timeout;
        using var attemptCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout != Timeout.InfiniteTimeSpan)
        {
            attemptCancellation.CancelAfter(timeout);
        }
        AuthenticationHeaderValue? authorization = await Connection.AuthorizationAsync(request.TokenScope, Log, cancellationToken).ConfigureAwait(false);
        using HttpRequestMessage message = CreateMessage(request, uri, retry, authorization);
        var stopwatch = Stopwatch.StartNew();
        HttpResponseMessage response;
        try
        {
            // Headers only: every body is read here or by the caller, bounded, never buffered whole by HttpClient.
            response = await Connection.Http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, attemptCancellation.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Log($"{method} {uri} cancelled after {stopwatch.ElapsedMilliseconds} ms.");
            throw;
        }
        catch (OperationCanceledException ex)
        {
            return TimedOut(request, uri, timeout, stopwatch, ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            string reason = ServiceText.Clean(Describe(ex))!;
            Log($"{method} {uri} failed after {stopwatch.ElapsedMilliseconds} ms: {reason}");
            var error = new ServiceException(ServiceErrorIds.Connection, FailureKind.ConnectionError,
                $"{method} {uri} failed: {reason}", request.Target ?? uri.ToString(),
                "Check the network and the service address, then try again.", null, method: method, requestUri: uri);
            return AttemptOutcome.Failed(error, shouldRetry: true, mayHaveTakenEffect: !NeverConnected(ex), serverDelay: null);
        }

        string? requestId = ServiceText.Clean(RequestId(response), 200);
        string? reasonPhrase = ServiceText.Clean(response.ReasonPhrase, 200);
        int status = (int)response.StatusCode;
        Log(string.Format(CultureInfo.InvariantCulture, "{0} {1} -> {2} {3} in {4} ms{5}",
            method, uri, status, reasonPhrase, stopwatch.ElapsedMilliseconds,
            requestId is null ? string.Empty : ", request id " + requestId));

        if (response.IsSuccessStatusCode)
        {
            var answer = new ServiceResponse(response, requestId, request, uri, Connection.Timeout);
            if (!readJson)
            {
                return AttemptOutcome.Succeeded(answer);
            }
            using (answer)
            {
                try
                {
                    // The whole answer must arrive within the attempt's timeout, not only its headers.
                    JsonElement json = await answer.ReadJsonAsync(attemptCancellation.Token).ConfigureAwait(false);
                    return AttemptOutcome.Succeeded(new ServiceResponse(json, status, requestId));
                }
                catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    return TimedOut(request, uri, timeout, stopwatch, ex);
                }
                catch (ServiceException ex)
                {
                    // Bad or incomplete: a create may still have happened. Only a broken or stalled body is worth asking again.
                    bool transient = ex.ErrorId is ServiceErrorIds.Timeout or ServiceErrorIds.Connection;
                    return AttemptOutcome.Failed(ex, shouldRetry: transient, mayHaveTakenEffect: true, serverDelay: null);
                }
            }
        }
        using (response)
        {
            ServiceException error = await ServiceErrors.FromResponseAsync(response, request, uri, requestId, reasonPhrase, MaxErrorBodyChars,
                Connection.Timeout, cancellationToken, attemptCancellation.Token).ConfigureAwait(false);
            bool shouldRetry = ShouldRetry(response, status);
            // A refusal the client should not repeat (400, 401, 404...) created nothing; anything it would repeat may have.
            return AttemptOutcome.Failed(error, shouldRetry, mayHaveTakenEffect: shouldRetry || status >= 500, serverDelay: ServerDelay(response, Connection.RetryTiming));
        }
    }

    private AttemptOutcome TimedOut(ServiceRequest request, Uri uri, TimeSpan timeout, Stopwatch stopwatch, OperationCanceledException ex)
    {
        string method = request.Method.Method;
        Log($"{method} {uri} timed out after {stopwatch.ElapsedMilliseconds} ms.");
        var error = new ServiceException(ServiceErrorIds.Timeout, FailureKind.OperationTimeout,
            $"{method} {uri} got no complete answer within {timeout.TotalSeconds:0.#} s.", request.Target ?? uri.ToString(),
            "Try again later, or connect with a longer -TimeoutSec.", ex, method: method, requestUri: uri);
        return AttemptOutcome.Failed(error, shouldRetry: true, mayHaveTakenEffect: true, serverDelay: null);
    }

    private HttpRequestMessage CreateMessage(ServiceRequest request, Uri uri, int retry, AuthenticationHeaderValue? authorization)
    {
        var message = new HttpRequestMessage(request.Method, uri);
        if (authorization is not null)
        {
            message.Headers.Authorization = authorization;
        }
        else if (Connection.Provider == ServiceProvider.AzureOpenAI)
        {
            message.Headers.TryAddWithoutValidation("api-key", Connection.Key!.Reveal());
        }
        else
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Connection.Key!.Reveal());
            if (Connection.Organization is { Length: > 0 } organization)
            {
                message.Headers.TryAddWithoutValidation("OpenAI-Organization", organization);
            }
            if (Connection.Project is { Length: > 0 } project)
            {
                message.Headers.TryAddWithoutValidation("OpenAI-Project", project);
            }
        }
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        message.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        message.Headers.TryAddWithoutValidation("x-stainless-retry-count", retry.ToString(CultureInfo.InvariantCulture));
        message.Content = request.Content?.Invoke();
        return message;
    }

    private static bool ShouldRetry(HttpResponseMessage response, int status)
    {
        if (HeaderValue(response, "x-should-retry") is { } shouldRetry)
        {
            if (string.Equals(shouldRetry, "true", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
            if (string.Equals(shouldRetry, "false", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }
        return status is 408 or 409 or 429 || status >= 500;
    }

    /// <summary>The wait the service asked for (retry-after-ms, then retry-after as seconds or an HTTP date), if sensible.</summary>
    internal static TimeSpan? ServerDelay(HttpResponseMessage response, RetryTiming timing)
    {
        TimeSpan? delay = null;
        if (HeaderValue(response, "retry-after-ms") is { } ms && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out double milliseconds))
        {
            delay = TimeSpan.FromMilliseconds(milliseconds);
        }
        else if (HeaderValue(response, "retry-after") is { } after)
        {
            if (double.TryParse(after, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds))
            {
                delay = TimeSpan.FromSeconds(seconds);
            }
            else if (DateTimeOffset.TryParseExact(after.Trim(), "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset date))
            {
                delay = date - timing.UtcNow();
            }
        }
        return delay is { } d && d > TimeSpan.Zero && d <= timing.MaxServerDelay ? d : null;
    }

    /// <summary>Exponential backoff with up to 25 % jitter downwards, as the official SDKs do.</summary>
    internal static TimeSpan Backoff(RetryTiming timing, int retry)
    {
        double seconds = Math.Min(timing.InitialDelay.TotalSeconds * Math.Pow(2, retry), timing.MaxDelay.TotalSeconds);
        return TimeSpan.FromSeconds(seconds * (1 - 0.25 * timing.NextJitter()));
    }

    private static string? RequestId(HttpResponseMessage response) =>
        HeaderValue(response, "x-request-id") ?? HeaderValue(response, "apim-request-id");

    private static string? HeaderValue(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out IEnumerable<string>? values) ? string.Join(",", values) : null;

    /// <summary>True when the failure happened before a connection existed, so nothing was sent.</summary>
    private static bool NeverConnected(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is SocketException socket)
            {
                return socket.SocketErrorCode is SocketError.ConnectionRefused or SocketError.HostNotFound or SocketError.HostUnreachable
                    or SocketError.NetworkUnreachable or SocketError.TryAgain or SocketError.NoData;
            }
        }
        return false;
    }

    private static string Describe(Exception exception)
    {
        var text = new StringBuilder(exception.Message);
        for (Exception? inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            text.Append(" (").Append(inner.Message).Append(')');
        }
        return text.ToString();
    }

    private static ServiceException OutcomeUnknown(ServiceRequest request, Uri uri, ServiceException cause, TimeSpan? lookedFor)
    {
        string search = lookedFor is { } window ? $" Nothing it created was found in {window.TotalSeconds:0} s of looking, and it" : " It";
        string find = request.FindItAdvice is { Length: > 0 } advice ? " " + advice : string.Empty;
        return new ServiceException(ServiceErrorIds.OutcomeUnknown, FailureKind.ResourceUnavailable,
            $"The request to {request.Describe()} may or may not have taken effect: {cause.Message}{search} was not repeated, to avoid creating a duplicate.{find}",
            request.Target ?? uri.ToString(),
            request.FindItAdvice is { Length: > 0 } ? request.FindItAdvice + " Try again only if it does not exist." : "List what exists (for example Get-FineTuneFile or Get-FineTuneJob) before trying again.",
            cause, cause.StatusCode, cause.RequestId, cause.ServiceMessage, cause.ServiceType, cause.ServiceCode, cause.Param, request.Method.Method, uri);
    }

    private sealed class AttemptOutcome
    {
        public ServiceResponse? Response { get; private set; }
        public ServiceException? Error { get; private set; }
        public bool ShouldRetry { get; private set; }

        /// <summary>The request may have reached the service and taken effect (the answer was lost, unusable, or not a clear refusal).</summary>
        public bool MayHaveTakenEffect { get; private set; }
        public TimeSpan? ServerDelay { get; private set; }

        public static AttemptOutcome Succeeded(ServiceResponse response) => new() { Response = response };

        public static AttemptOutcome Failed(ServiceException error, bool shouldRetry, bool mayHaveTakenEffect, TimeSpan? serverDelay) =>
            new() { Error = error, ShouldRetry = shouldRetry, MayHaveTakenEffect = mayHaveTakenEffect, ServerDelay = serverDelay };
    }
}
