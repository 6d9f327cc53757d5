using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using FineTune.Service;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace FineTune.Tests.Service.Fakes;

/// <summary>/files and /uploads with the behaviour of the real service, kept in <see cref="FakeFiles"/>.</summary>
internal static class FakeFileRoutes
{
    public static void Map(RouteGroupBuilder api, FakeOpenAiServer.ServerHolder holder)
    {
        api.MapPost("/files", async (HttpContext context) =>
        {
            FakeOpenAiServer server = holder.Get();
            if (!context.Request.HasFormContentType)
            {
                return FakeOpenAiServer.Error(400, "Expected multipart/form-data.");
            }
            IFormCollection form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
            IFormFile? file = form.Files["file"];
            string? purpose = form["purpose"];
            if (file is null)
            {
                return FakeOpenAiServer.Error(400, "Missing required parameter: 'file'.", param: "file");
            }
            if (string.IsNullOrEmpty(purpose))
            {
                return FakeOpenAiServer.Error(400, "Missing required parameter: 'purpose'.", param: "purpose");
            }
            byte[] content = await ReadAllAsync(file).ConfigureAwait(false);
            bool azure = server.Options.Provider == ServiceProvider.AzureOpenAI;
            FakeFiles.StoredFile stored = server.Files.Add(file.FileName, purpose!, content,
                status: azure ? "pending" : "processed", pendingPolls: server.Options.PendingPolls, failsProcessing: server.Options.ProcessingFails);
            stored.VisibleFrom = server.VisibleFrom();
            if (azure && server.Options.PendingPolls == 0)
            {
                Settle(stored);
            }
            return FakeOpenAiServer.Json(stored.ToJson());
        });

        api.MapGet("/files", (HttpRequest request) =>
        {
            FakeOpenAiServer server = holder.Get();
            string? purpose = request.Query["purpose"];
            bool ascending = request.Query["order"] == "asc";
            var ordered = server.Files.Listed(string.IsNullOrEmpty(purpose) ? null : purpose, ascending, server.Elapsed).Select(f => f.ToJson()).ToList();
            return FakeOpenAiServer.Json(FakeOpenAiServer.Page(ordered, request, 10000));
        });

        api.MapGet("/files/{id}", (string id) =>
        {
            FakeFiles.StoredFile? file = holder.Get().Files.Find(id);
            if (file is null)
            {
                return FakeOpenAiServer.Error(404, $"No such File object: {id}", code: null, param: "id");
            }
            if (file.Status == "pending")
            {
                if (file.PendingPollsLeft > 0)
                {
                    file.PendingPollsLeft--;
                }
                else
                {
                    Settle(file);
                }
            }
            return FakeOpenAiServer.Json(file.ToJson());
        });

        api.MapDelete("/files/{id}", (string id) => holder.Get().Files.Remove(id)
            ? FakeOpenAiServer.Json(new JsonObject { ["id"] = id, ["object"] = "file", ["deleted"] = true })
            : FakeOpenAiServer.Error(404, $"No such File object: {id}", param: "id"));

        api.MapGet("/files/{id}/content", (string id) => holder.Get().Files.Find(id) is { } file
            ? Results.Bytes(file.Content, "application/octet-stream")
            : FakeOpenAiServer.Error(404, $"No such File object: {id}", param: "id"));

        api.MapPost("/uploads", async (HttpContext context) =>
        {
            JsonObject? body = await ReadJsonAsync(context).ConfigureAwait(false);
            string? fileName = (string?)body?["filename"];
            string? purpose = (string?)body?["purpose"];
            long? bytes = (long?)body?["bytes"];
            string? mime = (string?)body?["mime_type"];
            if (fileName is null || purpose is null || bytes is null || mime is null)
            {
                return FakeOpenAiServer.Error(400, "filename, purpose, bytes and mime_type are required.");
            }
            FakeFiles.StoredUpload upload = holder.Get().Files.CreateUpload(fileName, purpose, bytes.Value, mime);
            return FakeOpenAiServer.Json(UploadJson(upload, null));
        });

        api.MapPost("/uploads/{id}/parts", async (string id, HttpContext context) =>
        {
            FakeOpenAiServer server = holder.Get();
            FakeFiles.StoredUpload? upload = server.Files.FindUpload(id);
            if (upload is null)
            {
                return FakeOpenAiServer.Error(404, $"No such Upload: {id}");
            }
            if (upload.Status != "pending")
            {
                return FakeOpenAiServer.Error(400, $"Upload {id} is {upload.Status}.");
            }
            IFormCollection form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
            IFormFile? data = form.Files["data"];
            if (data is null)
            {
                return FakeOpenAiServer.Error(400, "Missing required parameter: 'data'.", param: "data");
            }
            string partId = server.Files.AddPart(upload, await ReadAllAsync(data).ConfigureAwait(false));
            return FakeOpenAiServer.Json(new JsonObject { ["id"] = partId, ["object"] = "upload.part", ["created_at"] = upload.CreatedAt, ["upload_id"] = id });
        });

        api.MapPost("/uploads/{id}/complete", async (string id, HttpContext context) =>
        {
            FakeOpenAiServer server = holder.Get();
            FakeFiles.StoredUpload? upload = server.Files.FindUpload(id);
            if (upload is null)
            {
                return FakeOpenAiServer.Error(404, $"No such Upload: {id}");
            }
            JsonObject? body = await ReadJsonAsync(context).ConfigureAwait(false);
            string[] partIds = (body?["part_ids"] as JsonArray)?.Select(p => (string)p!).ToArray() ?? Array.Empty<string>();
            if (partIds.Any(p => !upload.Parts.ContainsKey(p)))
            {
                return FakeOpenAiServer.Error(400, "Unknown part id.", param: "part_ids");
            }
            byte[] content = partIds.SelectMany(p => upload.Parts[p]).ToArray();
            if (content.LongLength != upload.Bytes)
            {
                return FakeOpenAiServer.Error(400, $"The parts hold {content.LongLength} bytes but the upload declared {upload.Bytes}.");
            }
            string? md5 = (string?)body?["md5"];
            if (md5 is not null && !string.Equals(md5, Convert.ToHexString(MD5.HashData(content)), StringComparison.OrdinalIgnoreCase))
            {
                return FakeOpenAiServer.Error(400, "The md5 checksum does not match the uploaded bytes.", param: "md5");
            }
            bool azure = server.Options.Provider == ServiceProvider.AzureOpenAI;
            FakeFiles.StoredFile file = server.Files.Add(upload.FileName, upload.Purpose, content, status: azure ? "pending" : "processed", pendingPolls: server.Options.PendingPolls);
            file.VisibleFrom = server.VisibleFrom();
            upload.Status = "completed";
            upload.CompletedFileId = file.Id;
            return FakeOpenAiServer.Json(UploadJson(upload, file));
        });

        api.MapPost("/uploads/{id}/cancel", (string id) =>
        {
            FakeFiles.StoredUpload? upload = holder.Get().Files.FindUpload(id);
            if (upload is null)
            {
                return FakeOpenAiServer.Error(404, $"No such Upload: {id}");
            }
            upload.Status = "cancelled";
            return FakeOpenAiServer.Json(UploadJson(upload, null));
        });
    }

    private static void Settle(FakeFiles.StoredFile file)
    {
        file.Status = file.FailsProcessing ? "error" : "processed";
        file.StatusDetails = file.FailsProcessing ? "Invalid file format: line 3 is not JSON." : null;
    }

    private static JsonObject UploadJson(FakeFiles.StoredUpload upload, FakeFiles.StoredFile? file) => new()
    {
        ["id"] = upload.Id,
        ["object"] = "upload",
        ["bytes"] = upload.Bytes,
        ["created_at"] = upload.CreatedAt,
        ["filename"] = upload.FileName,
        ["purpose"] = upload.Purpose,
        ["status"] = upload.Status,
        ["expires_at"] = upload.CreatedAt + 3600,
        ["file"] = file?.ToJson(),
    };

    private static async Task<byte[]> ReadAllAsync(IFormFile file)
    {
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer).ConfigureAwait(false);
        return buffer.ToArray();
    }

    internal static async Task<JsonObject?> ReadJsonAsync(HttpContext context)
    {
        try
        {
            return await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
