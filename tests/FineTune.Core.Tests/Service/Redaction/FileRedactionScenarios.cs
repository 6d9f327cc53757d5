using System.Collections.Generic;
using System.Linq;
using FineTune.Service.Files;
using FineTune.Tests.Service.Fakes;

namespace FineTune.Tests.Service.Redaction;

/// <summary>What Send/Get/Save/Remove-FineTuneFile do with a connection (Connect is covered by ServiceConnectionTests).</summary>
public sealed class FileRedactionScenarios : IRedactionScenarios
{
    public IEnumerable<RedactionScenario> Scenarios
    {
        get
        {
            yield return new("Send-FineTuneFile", async (server, client, temp, token) =>
                await new FilesApi(client).UploadAsync(temp.WriteBytes("a.jsonl", 2_000), new FileUploadOptions(), token));
            yield return new("Send-FineTuneFile -Chunked", async (server, client, temp, token) =>
                await new FilesApi(client).UploadAsync(temp.WriteBytes("a.jsonl", 2_000), new FileUploadOptions { Chunked = true, PartSize = 700 }, token));
            yield return new("Send-FineTuneFile -Wait (Azure)", async (server, client, temp, token) =>
            {
                var files = new FilesApi(client);
                var file = await files.UploadAsync(temp.WriteBytes("a.jsonl", 2_000), new FileUploadOptions(), token);
                return await files.WaitForProcessingAsync(file.Id, null, null, token);
            }, FineTune.ServiceProvider.AzureOpenAI);
            yield return new("Get-FineTuneFile", async (server, client, temp, token) =>
            {
                server.Files.Add("x.jsonl", "fine-tune", new byte[] { 1 });
                var list = new List<FineTune.ServiceFile>();
                await foreach (var file in new FilesApi(client).ListAsync("fine-tune", null, token))
                {
                    list.Add(file);
                }
                return list;
            });
            yield return new("Get-FineTuneFile -Id", async (server, client, temp, token) =>
                await new FilesApi(client).GetAsync(server.Files.Add("x.jsonl", "fine-tune", new byte[] { 1 }).Id, token));
            yield return new("Save-FineTuneFile", async (server, client, temp, token) =>
                await new FilesApi(client).DownloadAsync(server.Files.Add("x.csv", "fine-tune-results", new byte[] { 1, 2 }).Id, temp.File("x.csv"), null, token));
            yield return new("Remove-FineTuneFile", async (server, client, temp, token) =>
                await new FilesApi(client).DeleteAsync(server.Files.Add("x.jsonl", "fine-tune", new byte[] { 1 }).Id, token));
        }
    }
}
