using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

namespace FineTune.Service;

/// <summary>
/// One call to the service, described so that it can be sent again: the body is a factory
/// invoked once per attempt. <see cref="Path"/> is relative to the API root (<c>files</c>,
/// <c>fine_tuning/jobs/ftjob-1/cancel</c>); the provider decides the full URL.
/// </summary>
public sealed class ServiceRequest
{
    public ServiceRequest(HttpMethod method, string path)
    {
        Method = method ?? throw new ArgumentNullException(nameof(method));
        Path = (path ?? throw new ArgumentNullException(nameof(path))).TrimStart('/');
    }

    public HttpMethod Method { get; }

    /// <summary>Relative path with escaped segments (use <see cref="Segment"/> for ids).</summary>
    public string Path { get; }

    /// <summary>Query parameters in order; null values are left out.</summary>
    public List<KeyValuePair<string, string?>> Query { get; } = new();

    /// <summary>Builds a fresh body for each attempt (null: no body).</summary>
    public Func<HttpContent>? Content { get; set; }

    /// <summary>Overrides the connection's per-attempt timeout (e.g. for a large upload).</summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>
    /// True for a call that creates something: whenever its outcome is not a clean answer or a
    /// plain refusal (a lost or unusable answer, a 5xx, a 408/409/429 or x-should-retry), it is
    /// not repeated blindly. The client runs <see cref="FindExisting"/> over the look-up window of
    /// <see cref="RetryTiming"/> first, or fails with <c>FineTune.Service.OutcomeUnknown</c> when
    /// there is none or nothing is found and no retry is left.
    /// </summary>
    public bool NotIdempotent { get; set; }

    /// <summary>
    /// For a <see cref="NotIdempotent"/> call whose outcome is unknown: looks for what the
    /// earlier attempt may have created. A result (the created object's JSON) ends the call
    /// with that object as the response; null means nothing was found yet (the client asks again
    /// until the look-up window has passed, then repeats the call).
    /// </summary>
    public Func<CancellationToken, Task<JsonElement?>>? FindExisting { get; set; }

    /// <summary>
    /// An API root other than the connection's, such as Azure Resource Manager; <see cref="Path"/>
    /// and <see cref="Query"/> are then taken as they are, with no provider prefix or api-version.
    /// </summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>The Entra ID scope to sign this call for (Resource Manager); null for the data plane's own sign-in.</summary>
    public string? TokenScope { get; set; }

    /// <summary>What an error about this call names as its target (a file id, a path); never a secret.</summary>
    public object? Target { get; set; }

    /// <summary>What the call does, for messages: "create a fine-tuning job". Default: method and path.</summary>
    public string? Operation { get; set; }

    /// <summary>The object a successful JSON answer must be (default: any JSON object).</summary>
    public ExpectedAnswer Expects { get; set; } = ExpectedAnswer.AnyObject;

    /// <summary>
    /// For a <see cref="NotIdempotent"/> call: how the user can find what it may have created
    /// when its outcome stays unknown ("it carries finetune_request_id ... in its metadata").
    /// </summary>
    public string? FindItAdvice { get; set; }

    /// <summary>The operation as messages name it.</summary>
    internal string Describe() => Operation ?? Method.Method + " " + Path;

    public ServiceRequest WithQuery(string name, string? value)
    {
        Query.Add(new KeyValuePair<string, string?>(name, value));
        return this;
    }

    public static ServiceRequest Get(string path) => new(HttpMethod.Get, path);

    public static ServiceRequest Delete(string path) => new(HttpMethod.Delete, path);

    /// <summary>A POST with no body (cancel, pause, resume).</summary>
    public static ServiceRequest Post(string path) => new(HttpMethod.Post, path);

    /// <summary>A POST whose body is <paramref name="body"/> serialised once as UTF-8 JSON.</summary>
    public static ServiceRequest PostJson(string path, JsonNode body)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        return new ServiceRequest(HttpMethod.Post, path) { Content = () => JsonContent(bytes) };
    }

    /// <summary>Escapes one path segment (an id that came from a user or the service).</summary>
    public static string Segment(string value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException("An id cannot be empty.", nameof(value));
        }
        return Uri.EscapeDataString(value.Trim());
    }

    internal static HttpContent JsonContent(byte[] utf8Json)
    {
        var content = new ByteArrayContent(utf8Json);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }
}
