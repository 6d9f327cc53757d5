using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using FineTune.PowerShell.Service;
using FineTune.Service;
using FineTune.Service.Files;

namespace FineTune.PowerShell;

/// <summary>
/// What every cmdlet that talks to the service shares: the connection (the -Connection
/// argument, else the session's from Connect-FineTuneService, else one built from the
/// environment variables), a client whose log lines become -Verbose output, and a way to run
/// service work that turns failures into error records.
/// </summary>
public abstract class FineTuneServiceCmdlet : FineTuneCmdlet
{
    private ServiceClient? _client;

    /// <summary>A connection returned by <c>Connect-FineTuneService -PassThru</c>, used instead of the session's connection.</summary>
    [Parameter]
    public ServiceConnection? Connection { get; set; }

    /// <summary>The client for this command (created on first use, on the pipeline thread).</summary>
    protected ServiceClient Client => _client ??= CreateClient();

    /// <summary>The connection this command uses; a terminating error when there is none.</summary>
    protected ServiceConnection ResolveConnection()
    {
        if (Connection is not null)
        {
            return Connection;
        }
        try
        {
            return ServiceSession.Current ?? ServiceSession.FromEnvironment();
        }
        catch (FineTuneException ex)
        {
            ThrowTerminatingError(ex);
            throw;
        }
    }

    /// <summary>
    /// The provider whose catalog entries (prices, limits) apply to this command: Azure OpenAI's
    /// on an Azure connection, otherwise OpenAI's (null). Needs no key, so -WhatIf works offline.
    /// </summary>
    protected string? CatalogProvider()
    {
        ServiceConnection? connection = Connection ?? ServiceSession.Current;
        if (connection is null)
        {
            try
            {
                connection = ServiceSession.FromEnvironment();
            }
            catch (FineTuneException)
            {
                return null;
            }
        }
        return connection.Provider == ServiceProvider.AzureOpenAI ? nameof(ServiceProvider.AzureOpenAI) : null;
    }

    /// <summary>
    /// Runs service work on a worker while its progress, verbose lines and output reach the
    /// pipeline thread; a FineTune failure becomes a non-terminating error about
    /// <paramref name="target"/>. False when it failed or the pipeline is stopping.
    /// </summary>
    protected bool RunService(Func<ServiceClient, CancellationToken, Task> work, object? target)
    {
        ServiceClient client = Client;
        try
        {
            RunAsync(token => work(client, token));
            return true;
        }
        catch (FineTuneException ex)
        {
            WriteError(ex, target ?? ex.Target);
            return false;
        }
        catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>
    /// Checks a training file with the Test-FineTuneDataset rules before it is uploaded; a file
    /// with errors is a non-terminating error naming its first problems. False when it failed.
    /// </summary>
    protected bool PassesUploadPrecheck(string path, string? consequence)
    {
        try
        {
            RunAsync(token => Task.Run(() => UploadPrecheck.EnsureValid(path, consequence, token), token));
            return true;
        }
        catch (FineTuneException ex)
        {
            WriteError(ex, path);
            return false;
        }
        catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>
    /// Uploads a file with a byte progress bar (always completed); the uploaded file, or null
    /// after a failure, which is written as a non-terminating error.
    /// </summary>
    protected ServiceFile? UploadWithProgress(string path, FileUploadOptions options)
    {
        ServiceFile? uploaded = null;
        ByteProgress progress = StartByteProgress(1, $"Uploading {System.IO.Path.GetFileName(path)}", new System.IO.FileInfo(path).Length);
        options.Progress = progress.Report;
        try
        {
            RunService(async (client, token) =>
            {
                uploaded = await new FilesApi(client).UploadAsync(path, options, token).ConfigureAwait(false);
            }, path);
        }
        finally
        {
            progress.Complete();
        }
        return uploaded;
    }

    /// <summary>A throttled byte-count progress bar fed from the worker, under <paramref name="parentActivityId"/> when not -1; complete it in a finally.</summary>
    internal ByteProgress StartByteProgress(int activityId, string activity, long total, int parentActivityId = -1) =>
        new(record => Post(() => WriteProgress(record)), activityId, activity, total, parentActivityId);

    private ServiceClient CreateClient() => new(ResolveConnection(), line => Post(() => WriteVerbose(line)));
}
