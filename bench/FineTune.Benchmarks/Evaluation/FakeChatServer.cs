using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using FineTune.Tests.Service.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FineTune.Benchmarks.Evaluation;

/// <summary>
/// <c>fake-chat [--memory file.jsonl] [--port N]</c>: a Kestrel server on 127.0.0.1 that answers
/// <c>/v1/chat/completions</c> with the deterministic models of the tests (FakeChatModels;
/// fine-tuned names answer from the memory file) and serves one finished job,
/// <c>ftjob-helpdesk</c>, with a result file of 60 steps. Prints its base URL
/// (<c>http://127.0.0.1:port/v1</c>) and serves until its standard input closes.
/// Used by bench/compare.sh and samples/Evaluate.ps1; any API key is accepted.
/// </summary>
internal static class FakeChatServer
{
    public const string JobId = "ftjob-helpdesk";
    private const string ResultFileId = "file-helpdesk-results";

    public static int Run(string[] args)
    {
        string? memoryPath = Option(args, "--memory");
        int port = int.Parse(Option(args, "--port") ?? "0", CultureInfo.InvariantCulture);
        IReadOnlyDictionary<string, string>? memory = memoryPath is null ? null : FakeChatModels.MemoryFrom(File.ReadLines(memoryPath));

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
        WebApplication app = builder.Build();
        app.MapPost("/v1/chat/completions", async (HttpContext context) =>
        {
            JsonObject body = (await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted))!.AsObject();
            return Results.Text(FakeChatModels.Complete(body, null, memory).ToJsonString(), "application/json");
        });
        app.MapGet("/v1/fine_tuning/jobs/" + JobId, () => Results.Text(Job().ToJsonString(), "application/json"));
        app.MapGet($"/v1/files/{ResultFileId}/content", () => Results.Text(ResultCsv(), "text/csv"));
        app.StartAsync().GetAwaiter().GetResult();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        Console.Out.WriteLine(address + "/v1");
        Console.Out.Flush();
        while (Console.In.ReadLine() is not null)
        {
        }
        app.StopAsync().GetAwaiter().GetResult();
        return 0;
    }

    private static JsonObject Job() => new()
    {
        ["object"] = "fine_tuning.job",
        ["id"] = JobId,
        ["model"] = "gpt-4o-mini-2024-07-18",
        ["created_at"] = 1_764_316_800,
        ["finished_at"] = 1_764_318_510,
        ["fine_tuned_model"] = "ft:gpt-4o-mini-2024-07-18:my-org:helpdesk:abc123",
        ["organization_id"] = "org-fake",
        ["result_files"] = new JsonArray(ResultFileId),
        ["status"] = "succeeded",
        ["validation_file"] = "file-helpdesk-validation",
        ["training_file"] = "file-helpdesk-train",
        ["hyperparameters"] = new JsonObject { ["n_epochs"] = 3, ["batch_size"] = 1, ["learning_rate_multiplier"] = 1.8 },
        ["trained_tokens"] = 14_325,
        ["error"] = null,
        ["seed"] = 7,
        ["method"] = new JsonObject { ["type"] = "supervised" },
        ["suffix"] = "helpdesk",
    };

    /// <summary>60 steps of a loss that falls and an accuracy that rises, with seeded noise: the same on every run.</summary>
    private static string ResultCsv()
    {
        var csv = new StringBuilder("step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy,full_valid_loss,full_valid_mean_token_accuracy\n");
        var random = new Random(7);
        for (int step = 1; step <= 60; step++)
        {
            double progress = step / 60.0;
            double trainLoss = 2.1 * Math.Exp(-3.2 * progress) + 0.25 + (random.NextDouble() - 0.5) * 0.3;
            double trainAccuracy = Math.Min(0.99, 0.45 + 0.45 * (1 - Math.Exp(-3.5 * progress)) + (random.NextDouble() - 0.5) * 0.06);
            string valid = step % 5 == 0
                ? string.Format(CultureInfo.InvariantCulture, "{0:0.####},{1:0.####}", 2.0 * Math.Exp(-2.6 * progress) + 0.42 + (random.NextDouble() - 0.5) * 0.1,
                    0.43 + 0.38 * (1 - Math.Exp(-3 * progress)))
                : ",";
            string full = step % 20 == 0
                ? string.Format(CultureInfo.InvariantCulture, "{0:0.####},{1:0.####}", 2.0 * Math.Exp(-2.6 * progress) + 0.45, 0.42 + 0.37 * (1 - Math.Exp(-3 * progress)))
                : ",";
            csv.Append(string.Format(CultureInfo.InvariantCulture, "{0},{1:0.####},{2:0.####},{3},{4}\n", step, trainLoss, trainAccuracy, valid, full));
        }
        return csv.ToString();
    }

    private static string? Option(string[] args, string name)
    {
        int index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
