using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using FineTune.Service;
using FineTune.Service.Files;
using FineTune.Tests.Service.Fakes;
using Xunit;

namespace FineTune.Tests.Service.Redaction;

/// <summary>What exactly becomes of a hostile error answer: every field the service controls arrives masked and escaped.</summary>
public sealed class HostileErrorTests
{
    private const string Key = "fake-test-key/Hostile4Echo+Me7Zq2=Lw9";

    [Fact]
    public async Task EveryFieldOfAHostileErrorIsMaskedAndEscaped()
    {
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync(new FakeServerOptions { ApiKey = Key });
        server.AddFault(Fault.EchoSecret(400, Key));
        using ServiceConnection connection = server.Connect();
        var log = new List<string>();

        ServiceException error = await Assert.ThrowsAsync<ServiceException>(() => new FilesApi(new ServiceClient(connection, log.Add)).GetAsync("file-1", CancellationToken.None));

        Assert.Equal(ServiceErrorIds.BadRequest, error.ErrorId);
        Assert.Equal("\\u001B]0;owned\\u0007Key *** (***) refused\\nsecond line", error.ServiceMessage);
        Assert.Equal("type_***", error.ServiceType);
        Assert.Equal("code_***", error.ServiceCode);
        Assert.Equal("param_***", error.Param);
        Assert.Equal("req_***", error.RequestId);
        Assert.StartsWith("\\u001B]0;owned\\u0007Key *** (***) refused\\nsecond line (HTTP 400 from GET ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith(", code code_***, param param_***, request id req_***)", error.Message, StringComparison.Ordinal);
        // The reason phrase reached the client, and the log shows it masked.
        Assert.Contains(log, line => line.Contains("-> 400 Denied *** *** in ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AHostileErrorWithoutABodyShowsItsReasonPhraseMasked()
    {
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync(new FakeServerOptions { ApiKey = Key });
        server.AddFault(Fault.Answer(403, string.Empty, "text/plain", reasonPhrase: "No entry for " + Key + " \u001b[31m"));
        using ServiceConnection connection = server.Connect();

        ServiceException error = await Assert.ThrowsAsync<ServiceException>(() => new FilesApi(new ServiceClient(connection)).GetAsync("file-1", CancellationToken.None));

        Assert.StartsWith("No entry for *** \\u001B[31m (HTTP 403 from GET ", error.Message, StringComparison.Ordinal);
    }
}
