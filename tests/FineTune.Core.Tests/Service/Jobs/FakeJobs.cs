using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using FineTune.Tests.Service.Fakes;

namespace FineTune.Tests.Service.Jobs;

/// <summary>
/// The fine-tuning jobs, models and chat API for <see cref="FakeOpenAiServer"/>, mapped through
/// <see cref="FakeServerOptions.Routes"/>. Jobs follow a script: each retrieval of a job runs
/// the next step of its <see cref="FakeJob.OnRetrieve"/> queue, so a test decides exactly what
/// a waiting client sees poll after poll.
/// </summary>
internal sealed class FakeJobs
{
    private readonly object _gate = new();
    private int _counter;

    /// <summary>Jobs in creation order (the API lists them newest first).</summary>
    public List<FakeJob> Jobs { get; } = new();

    /// <summary>Every create body received, in order.</summary>
    public List<JsonObject> CreateBodies { get; } = new();

    public List<JsonObject> ChatBodies { get; } = new();

    public List<string> DeletedModels { get; } = new();

    /// <summary>Called for each created job, to give it a script.</summary>
    public Action<FakeJob>? OnCreate { get; set; }

    /// <summary>Answer model deletions with 204 No Content, as Azure-style hosts do.</summary>
    public bool DeleteAnswersNoContent { get; set; }

    /// <summary>Whether <see cref="Map"/> serves chat (an echo); off when a richer chat fake is mapped beside the jobs.</summary>
    public bool MapsChat { get; set; } = true;

    /// <summary>The server these routes belong to, for its clock and list lag (<see cref="FakeServerOptions.ListLag"/>); none: no lag.</summary>
    public FakeOpenAiServer? Server { get; set; }

    /// <summary>The largest page the list endpoints serve, whatever <c>limit</c> asks.</summary>
    public int MaxPageSize { get; set; } = 100;

    public FakeJob Add(string status = "validating_files", string model = "gpt-4o-mini-2024-07-18", IDictionary<string, string>? metadata = null)
    {
        lock (_gate)
        {
            var job = new FakeJob("ftjob-" + (++_counter).ToString("D4", System.Globalization.CultureInfo.InvariantCulture), model)
            {
                Status = status,
                CreatedAt = 1_721_764_800 + _counter,
            };
            if (metadata is not null)
            {
                foreach (KeyValuePair<string, string> pair in metadata)
                {
                    job.Metadata[pair.Key] = pair.Value;
                }
            }
            Jobs.Add(job);
            return job;
        }
    }

    public FakeJob? Find(string id)
    {
        lock (_gate)
        {
            return Jobs.FirstOrDefault(j => j.Id == id);
        }
    }

    public void Map(RouteGroupBuilder api)
    {
        api.MapPost("/fine_tuning/jobs", async (HttpContext context) =>
        {
            JsonObject body = (await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false))!.AsObject();
            FakeJob job;
            lock (_gate)
            {
                CreateBodies.Add(body);
                job = Add("validating_files", (string)body["model"]!,
                    body["metadata"]?.AsObject().ToDictionary(p => p.Key, p => (string)p.Value!));
                job.TrainingFile = (string?)body["training_file"];
                job.ValidationFile = (string?)body["validation_file"];
                job.Method = body["method"]?.DeepClone().AsObject();
                job.Suffix = (string?)body["suffix"];
                job.Seed = (long?)body["seed"] ?? job.Seed;
                job.VisibleFrom = Server?.VisibleFrom() ?? TimeSpan.Zero;
                job.AddEvent("Created fine-tuning job");
            }
            OnCreate?.Invoke(job);
            return FakeOpenAiServer.Json(job.ToJson());
        });

        api.MapGet("/fine_tuning/jobs", (HttpRequest request) =>
        {
            List<JsonObject> listed;
            lock (_gate)
            {
                TimeSpan now = Server?.Elapsed ?? TimeSpan.Zero;
                IEnumerable<FakeJob> jobs = Enumerable.Reverse(Jobs).Where(j => j.VisibleFrom <= now);
                foreach (KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues> pair in request.Query)
                {
                    if (pair.Key.StartsWith("metadata[", StringComparison.Ordinal) && pair.Key.EndsWith(']'))
                    {
                        string key = pair.Key[9..^1];
                        string value = pair.Value.ToString();
                        jobs = jobs.Where(j => j.Metadata.TryGetValue(key, out string? v) && v == value);
                    }
                }
                listed = jobs.Select(j => j.ToJson()).ToList();
            }
            return FakeOpenAiServer.Json(FakeOpenAiServer.Page(listed, Capped(request), 20));
        });

        api.MapGet("/fine_tuning/jobs/{id}", (string id) =>
        {
            FakeJob? job = Find(id);
            if (job is null)
            {
                return NotFound(id);
            }
            lock (_gate)
            {
                if (job.OnRetrieve.Count > 0)
                {
                    job.OnRetrieve.Dequeue()(job);
                }
                return FakeOpenAiServer.Json(job.ToJson());
            }
        });

        MapAction(api, "cancel", job => job.Status is "succeeded" or "failed" or "cancelled" ? "cancelled jobs only: job already ended" : null, "cancelled");
        MapAction(api, "pause", job => job.Status != "running" ? $"Only running jobs can be paused; this one is {job.Status}." : null, "paused");
        MapAction(api, "resume", job => job.Status != "paused" ? $"Only paused jobs can be resumed; this one is {job.Status}." : null, "running");

        api.MapGet("/fine_tuning/jobs/{id}/events", (string id, HttpRequest request) =>
        {
            FakeJob? job = Find(id);
            if (job is null)
            {
                return NotFound(id);
            }
            lock (_gate)
            {
                return FakeOpenAiServer.Json(FakeOpenAiServer.Page(Enumerable.Reverse(job.Events).ToList(), Capped(request), 20));
            }
        });

        api.MapGet("/fine_tuning/jobs/{id}/checkpoints", (string id, HttpRequest request) =>
        {
            FakeJob? job = Find(id);
            if (job is null)
            {
                return NotFound(id);
            }
            lock (_gate)
            {
                return FakeOpenAiServer.Json(FakeOpenAiServer.Page(Enumerable.Reverse(job.Checkpoints).ToList(), Capped(request), 10));
            }
        });

        api.MapDelete("/models/{model}", (string model) =>
        {
            lock (_gate)
            {
                DeletedModels.Add(model);
            }
            return DeleteAnswersNoContent ? Results.NoContent() : FakeOpenAiServer.Json(new JsonObject { ["id"] = model, ["object"] = "model", ["deleted"] = true });
        });

        if (MapsChat)
        {
            api.MapPost("/chat/completions", (Func<HttpContext, System.Threading.Tasks.Task<IResult>>)(context => ChatAsync(context, null)));
            api.MapPost("/deployments/{deployment}/chat/completions", (HttpContext context, string deployment) => ChatAsync(context, deployment));
        }
    }

    private async System.Threading.Tasks.Task<IResult> ChatAsync(HttpContext context, string? deployment)
    {
        JsonObject body = (await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false))!.AsObject();
        lock (_gate)
        {
            ChatBodies.Add(body);
        }
        JsonArray messages = body["messages"]!.AsArray();
        string last = (string)messages[^1]!["content"]!;
        return FakeOpenAiServer.Json(new JsonObject
        {
            ["id"] = "chatcmpl-1",
            ["object"] = "chat.completion",
            ["created"] = 1_741_570_283,
            ["model"] = deployment ?? (string?)body["model"],
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = "Echo: " + last, ["refusal"] = null },
                ["logprobs"] = null,
                ["finish_reason"] = "stop",
            }),
            ["usage"] = new JsonObject { ["prompt_tokens"] = 12, ["completion_tokens"] = 4, ["total_tokens"] = 16 },
        });
    }

    private void MapAction(RouteGroupBuilder api, string action, Func<FakeJob, string?> refusal, string newStatus)
    {
        api.MapPost("/fine_tuning/jobs/{id}/" + action, (string id) =>
        {
            FakeJob? job = Find(id);
            if (job is null)
            {
                return NotFound(id);
            }
            lock (_gate)
            {
                if (refusal(job) is { } reason)
                {
                    return FakeOpenAiServer.Error(400, reason, code: "invalid_state");
                }
                job.Status = newStatus;
                job.AddEvent($"Job {newStatus}");
                return FakeOpenAiServer.Json(job.ToJson());
            }
        });
    }

    private HttpRequest Capped(HttpRequest request)
    {
        if (int.TryParse(request.Query["limit"], out int limit) && limit <= MaxPageSize)
        {
            return request;
        }
        var query = request.Query.ToDictionary(p => p.Key, p => p.Value);
        query["limit"] = MaxPageSize.ToString(System.Globalization.CultureInfo.InvariantCulture);
        request.Query = new QueryCollection(query);
        return request;
    }

    private static IResult NotFound(string id) =>
        FakeOpenAiServer.Error(404, $"Could not find fine-tune: {id}", code: "fine_tune_not_found", param: "fine_tuning_job_id");
}

internal sealed class FakeJob
{
    private int _eventCounter;

    public FakeJob(string id, string model)
    {
        Id = id;
        Model = model;
    }

    public string Id { get; }

    public string Model { get; }

    public string Status { get; set; } = "validating_files";

    public long CreatedAt { get; set; }

    /// <summary>From when on (on the server's clock) the job list shows it; retrieving it works at once.</summary>
    public TimeSpan VisibleFrom { get; set; }

    public long? FinishedAt { get; set; }

    public long? EstimatedFinish { get; set; }

    public string? TrainingFile { get; set; } = "file-train";

    public string? ValidationFile { get; set; }

    public string? FineTunedModel { get; set; }

    /// <summary>The suffix it was created with; like OpenAI, the job object does not report it (only the model name does).</summary>
    public string? Suffix { get; set; }

    public long? Seed { get; set; } = 7;

    public JsonObject? Error { get; set; }

    public JsonObject? Method { get; set; }

    public Dictionary<string, string> Metadata { get; } = new();

    public List<string> ResultFiles { get; } = new();

    /// <summary>Events oldest first.</summary>
    public List<JsonObject> Events { get; } = new();

    public List<JsonObject> Checkpoints { get; } = new();

    /// <summary>One step per retrieval, applied before the job is returned.</summary>
    public Queue<Action<FakeJob>> OnRetrieve { get; } = new();

    public FakeJob Then(Action<FakeJob> step)
    {
        OnRetrieve.Enqueue(step);
        return this;
    }

    public FakeJob ThenStatus(string status, string? message = null) => Then(job =>
    {
        job.Status = status;
        job.AddEvent(message ?? "Status " + status);
    });

    public JsonObject AddEvent(string message, string level = "info", JsonObject? data = null)
    {
        var item = new JsonObject
        {
            ["object"] = "fine_tuning.job.event",
            ["id"] = $"ftevent-{Id}-{++_eventCounter:D4}",
            ["created_at"] = CreatedAt + _eventCounter,
            ["level"] = level,
            ["message"] = message,
            ["data"] = data ?? new JsonObject(),
            ["type"] = data is null ? "message" : "metrics",
        };
        Events.Add(item);
        return item;
    }

    public JsonObject AddCheckpoint(int step, double trainLoss)
    {
        var item = new JsonObject
        {
            ["object"] = "fine_tuning.job.checkpoint",
            ["id"] = $"ftckpt-{Id}-{step}",
            ["created_at"] = CreatedAt + 100 + step,
            ["fine_tuned_model_checkpoint"] = $"ft:{Model}:org-fake:{Suffix}:{Id}:ckpt-step-{step}",
            ["fine_tuning_job_id"] = Id,
            ["step_number"] = step,
            ["metrics"] = new JsonObject { ["step"] = step, ["train_loss"] = trainLoss, ["train_mean_token_accuracy"] = 0.75 },
        };
        Checkpoints.Add(item);
        return item;
    }

    /// <summary>
    /// Ends the job as the service does: the hyperparameters left to <c>auto</c> get the values
    /// the service chose, the model gets its name (with the suffix), and a result file with the
    /// per-step metrics is stored (base64-encoded, as OpenAI has served them, when asked).
    /// </summary>
    public FakeFiles.StoredFile Succeed(FakeFiles files, string resultCsv, bool base64 = false)
    {
        if (Method?[(string)Method["type"]!]?["hyperparameters"] is JsonObject hyperparameters)
        {
            var chosen = new Dictionary<string, JsonNode> { ["n_epochs"] = 3, ["batch_size"] = 1, ["learning_rate_multiplier"] = 1.8, ["beta"] = 0.1 };
            foreach (string name in hyperparameters.Select(p => p.Key).ToList())
            {
                if (hyperparameters[name] is JsonValue current && current.TryGetValue(out string? text) && text == "auto" && chosen.TryGetValue(name, out JsonNode? value))
                {
                    hyperparameters[name] = value.DeepClone();
                }
            }
        }
        byte[] content = System.Text.Encoding.UTF8.GetBytes(base64 ? Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(resultCsv)) : resultCsv);
        FakeFiles.StoredFile result = files.Add("step_metrics.csv", "fine-tune-results", content);
        ResultFiles.Add(result.Id);
        Status = "succeeded";
        FinishedAt = CreatedAt + 3600;
        FineTunedModel = $"ft:{Model}:org-fake:{Suffix}:{Id.Replace("ftjob-", "m")}";
        AddEvent("The job has successfully completed");
        return result;
    }

    public JsonObject AddStep(int step, int totalSteps, double trainLoss) => AddEvent(
        $"Step {step}/{totalSteps}: training loss={trainLoss:0.000}", "info",
        new JsonObject { ["step"] = step, ["train_loss"] = trainLoss, ["train_mean_token_accuracy"] = 0.5, ["total_steps"] = totalSteps });

    public JsonObject ToJson() => new()
    {
        ["object"] = "fine_tuning.job",
        ["id"] = Id,
        ["model"] = Model,
        ["created_at"] = CreatedAt,
        ["finished_at"] = FinishedAt,
        ["fine_tuned_model"] = FineTunedModel,
        ["organization_id"] = "org-fake",
        ["result_files"] = new JsonArray(ResultFiles.Select(f => (JsonNode)JsonValue.Create(f)!).ToArray()),
        ["status"] = Status,
        ["validation_file"] = ValidationFile,
        ["training_file"] = TrainingFile,
        ["hyperparameters"] = new JsonObject { ["n_epochs"] = "auto", ["batch_size"] = "auto", ["learning_rate_multiplier"] = "auto" },
        ["trained_tokens"] = Status == "succeeded" ? 5768 : null,
        ["error"] = Error?.DeepClone(),
        ["seed"] = Seed,
        ["estimated_finish"] = EstimatedFinish,
        ["method"] = Method?.DeepClone(),
        ["metadata"] = Metadata.Count == 0 ? null : new JsonObject(Metadata.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)JsonValue.Create(p.Value)))),
    };
}
