using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace FineTune.PowerShell;

/// <summary>
/// What every FineTune cmdlet shares: a cancellation token that Ctrl+C
/// (<see cref="StopProcessing"/>) cancels, error records built from engine failures,
/// provider path resolution, and a way to run async engine work while every
/// <c>Write*</c> call stays on the pipeline thread.
/// </summary>
public abstract class FineTuneCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private BlockingCollection<Action>? _pipelineQueue;

    /// <summary>Cancelled when the user presses Ctrl+C or the pipeline stops.</summary>
    protected CancellationToken CancellationToken => _stopping.Token;

    protected override void StopProcessing() => _stopping.Cancel();

    public void Dispose()
    {
        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Runs <paramref name="work"/> on a worker thread and, until it ends, executes on the
    /// pipeline thread whatever it posts with <see cref="Post"/> (progress, verbose, output).
    /// </summary>
    protected T RunAsync<T>(Func<CancellationToken, Task<T>> work)
    {
        using var queue = new BlockingCollection<Action>();
        _pipelineQueue = queue;
        try
        {
            Task<T> task = Task.Run(() => work(CancellationToken), CancellationToken);
            task.ContinueWith(_ => queue.CompleteAdding(), TaskScheduler.Default);
            foreach (Action action in queue.GetConsumingEnumerable())
            {
                action();
            }
            return task.GetAwaiter().GetResult();
        }
        finally
        {
            _pipelineQueue = null;
        }
    }

    protected void RunAsync(Func<CancellationToken, Task> work) =>
        RunAsync<bool>(async token => { await work(token).ConfigureAwait(false); return true; });

    /// <summary>
    /// Queues <paramref name="action"/> for the pipeline thread while <see cref="RunAsync{T}"/>
    /// is running; runs it at once when called on the pipeline thread outside of it.
    /// </summary>
    protected void Post(Action action)
    {
        BlockingCollection<Action>? queue = _pipelineQueue;
        if (queue is null)
        {
            action();
            return;
        }
        try
        {
            queue.Add(action);
        }
        catch (InvalidOperationException)
        {
            // The work finished while this was posted; nothing can be written any more.
        }
    }

    /// <summary>An error record for an engine failure, with its id, category and target.</summary>
    protected static ErrorRecord ToErrorRecord(FineTuneException exception, object? target = null)
    {
        var record = new ErrorRecord(exception, exception.ErrorId, ErrorCategories.From(exception.Kind), target ?? exception.Target)
        {
            ErrorDetails = new ErrorDetails(exception.Message),
        };
        if (exception.RecommendedAction is { Length: > 0 } action)
        {
            record.ErrorDetails.RecommendedAction = action;
        }
        return record;
    }

    protected static ErrorRecord ToErrorRecord(string errorId, ErrorCategory category, string message, object? target, string? recommendedAction = null)
    {
        // The exception escapes control characters; the record shows its text, not the raw one.
        var exception = new FineTuneException(errorId, FailureKind.NotSpecified, message, target, recommendedAction);
        var record = new ErrorRecord(exception, errorId, category, target)
        {
            ErrorDetails = new ErrorDetails(exception.Message),
        };
        if (exception.RecommendedAction is { Length: > 0 } action)
        {
            record.ErrorDetails.RecommendedAction = action;
        }
        return record;
    }

    protected void WriteError(FineTuneException exception, object? target = null) => WriteError(ToErrorRecord(exception, target));

    protected void ThrowTerminatingError(FineTuneException exception, object? target = null) => ThrowTerminatingError(ToErrorRecord(exception, target));

    /// <summary>
    /// Resolves -Path (wildcards) or -LiteralPath through the provider to file-system paths;
    /// an unresolvable path or a folder is a non-terminating error and is skipped.
    /// </summary>
    protected IEnumerable<string> ResolveFileSystemPaths(string[]? paths, bool literal)
    {
        if (paths is null)
        {
            yield break;
        }
        foreach (string path in paths)
        {
            List<string> resolved = new();
            try
            {
                if (literal)
                {
                    resolved.Add(SessionState.Path.GetUnresolvedProviderPathFromPSPath(path));
                }
                else
                {
                    resolved.AddRange(GetResolvedProviderPathFromPSPath(path, out ProviderInfo provider));
                    if (provider.Name != "FileSystem")
                    {
                        WriteError(ToErrorRecord("FineTune.Path.NotFileSystem", ErrorCategory.InvalidArgument,
                            $"'{path}' is on the {provider.Name} provider; FineTune reads and writes files only.", path));
                        continue;
                    }
                }
            }
            catch (ItemNotFoundException ex)
            {
                WriteError(ToErrorRecord("FineTune.Path.NotFound", ErrorCategory.ObjectNotFound, ex.Message, path,
                    "Check the path, or use -LiteralPath when the name contains wildcard characters such as [ ]."));
                continue;
            }
            foreach (string item in resolved)
            {
                if (System.IO.Directory.Exists(item))
                {
                    WriteError(ToErrorRecord("FineTune.Path.IsFolder", ErrorCategory.InvalidArgument, $"'{item}' is a folder; pass files.", path,
                        $"Pass the files inside it, for example Get-ChildItem <folder> -Filter *.jsonl | {MyInvocation.MyCommand.Name}."));
                    continue;
                }
                if (literal && !System.IO.File.Exists(item))
                {
                    WriteError(ToErrorRecord("FineTune.Path.NotFound", ErrorCategory.ObjectNotFound,
                        $"Cannot find the file '{item}'.", path, "Check the path."));
                    continue;
                }
                yield return item;
            }
        }
    }

    /// <summary>Resolves a path the cmdlet will create (the file need not exist).</summary>
    protected string ResolveOutputPath(string path) => SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
}
