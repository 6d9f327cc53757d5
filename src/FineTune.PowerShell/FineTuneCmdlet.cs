using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using FineTune.Models;

namespace FineTune.PowerShell;

/// <summary>
/// What every FineTune cmdlet shares: a cancellation token that Ctrl+C
/// (<see cref="StopProcessing"/>) cancels, error records built from engine failures,
/// provider path resolution, and a way to run async engine work while every
/// <c>Write*</c> call stays on the pipeline thread.
/// </summary>
public abstract class FineTuneCmdlet : PSCmdlet, IDisposable
{
    /// <summary>The parameter sets of the cmdlets that read datasets (see <see cref="DatasetInputs"/>).</summary>
    protected const string PathSet = "Path";
    protected const string LiteralPathSet = "LiteralPath";
    protected const string InputObjectSet = "InputObject";

    private readonly CancellationTokenSource _stopping = new();
    private BlockingCollection<Action>? _pipelineQueue;
    private BlockingCollection<Action>? _backgroundQueue;
    private Thread? _pipelineThread;
    private long _inputObjects;
    private long _inputExamples;

    /// <summary>Cancelled when the user presses Ctrl+C or the pipeline stops.</summary>
    protected CancellationToken CancellationToken => _stopping.Token;

    protected override void StopProcessing() => _stopping.Cancel();

    public void Dispose()
    {
        _backgroundQueue?.Dispose();
        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Actions a worker may post ahead of the pipeline thread; past it, <see cref="Post"/> waits,
    /// so a slow consumer (Export-Csv of a million examples) slows the work instead of filling memory.
    /// </summary>
    private const int PostedActionsLimit = 1024;

    /// <summary>
    /// Runs <paramref name="work"/> on a worker thread and, until it ends, executes on the
    /// pipeline thread whatever it posts with <see cref="Post"/> (progress, verbose, output).
    /// </summary>
    protected T RunAsync<T>(Func<CancellationToken, Task<T>> work)
    {
        using var queue = new BlockingCollection<Action>(PostedActionsLimit);
        _pipelineQueue = queue;
        _pipelineThread = Thread.CurrentThread;
        try
        {
            Task<T> task = Task.Run(() => work(CancellationToken), CancellationToken);
            task.ContinueWith(_ => queue.CompleteAdding(), TaskScheduler.Default);
            foreach (Action action in queue.GetConsumingEnumerable())
            {
                RunPosted(action);
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
    /// Starts work that spans several ProcessRecord calls (pipeline input fed to one running
    /// job). What it posts with <see cref="Post"/> waits until the pipeline thread runs it in
    /// <see cref="PumpUntil"/>; end with <see cref="EndBackground"/>.
    /// </summary>
    protected Task StartBackground(Func<CancellationToken, Task> work)
    {
        if (_backgroundQueue is not null)
        {
            throw new InvalidOperationException("Background work is already running.");
        }
        _backgroundQueue = new BlockingCollection<Action>();
        _pipelineQueue = _backgroundQueue;
        _pipelineThread = Thread.CurrentThread;
        return Task.Run(() => work(CancellationToken), CancellationToken);
    }

    /// <summary>On the pipeline thread, runs what the background work posts until <paramref name="task"/> ends (it is not awaited for its result).</summary>
    protected void PumpUntil(Task task)
    {
        BlockingCollection<Action> queue = _backgroundQueue ?? throw new InvalidOperationException("No background work is running.");
        task.ContinueWith(_ =>
        {
            try
            {
                queue.Add(static () => { });
            }
            catch (InvalidOperationException)
            {
                // The pump already ended.
            }
        }, TaskScheduler.Default);
        while (!task.IsCompleted)
        {
            RunPosted(queue.Take());
        }
        while (queue.TryTake(out Action? action))
        {
            RunPosted(action);
        }
    }

    /// <summary>After the background work ended: runs what it posted last and stops queuing.</summary>
    protected void EndBackground()
    {
        BlockingCollection<Action>? queue = _backgroundQueue;
        if (queue is null)
        {
            return;
        }
        _pipelineQueue = null;
        queue.CompleteAdding();
        foreach (Action action in queue.GetConsumingEnumerable())
        {
            RunPosted(action);
        }
    }

    /// <summary>
    /// Runs a posted action on the pipeline thread. When it throws (the pipeline stops:
    /// Select-Object -First has enough, an error under -ErrorAction Stop), the work that posted
    /// it is cancelled too, so it sends nothing more.
    /// </summary>
    private void RunPosted(Action action)
    {
        try
        {
            action();
        }
        catch
        {
            _stopping.Cancel();
            throw;
        }
    }

    /// <summary>
    /// Queues <paramref name="action"/> for the pipeline thread while <see cref="RunAsync{T}"/>
    /// is running (a worker waits while the queue is full); runs it at once when called on the
    /// pipeline thread outside of it.
    /// </summary>
    protected void Post(Action action)
    {
        BlockingCollection<Action>? queue = _pipelineQueue;
        if (queue is null)
        {
            // Outside a pump only the pipeline thread may write; work left running after its
            // pump ended (the pipeline stopped) must not, so what it posts is dropped.
            if (_pipelineThread is null || ReferenceEquals(Thread.CurrentThread, _pipelineThread))
            {
                action();
            }
            return;
        }
        try
        {
            if (ReferenceEquals(Thread.CurrentThread, _pipelineThread))
            {
                // This thread empties the queue, so it must not wait for room in it.
                if (!queue.TryAdd(action))
                {
                    action();
                }
                return;
            }
            queue.Add(action, CancellationToken);
        }
        catch (InvalidOperationException)
        {
            // The work finished while this was posted; nothing can be written any more.
        }
        catch (OperationCanceledException)
        {
            // The pipeline is stopping: nothing more is written, and the work stops on the same token.
        }
    }

    /// <summary>The model catalog for pricing what a command shows; null with a warning when it cannot be read (costs are then left empty).</summary>
    protected ModelCatalog? CatalogForCosts()
    {
        try
        {
            return ModelCatalog.Load();
        }
        catch (FineTuneException ex)
        {
            WriteWarning("Costs are left empty: " + ex.Message);
            return null;
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
            if (ResolveProviderPath(path, literal, "FineTune reads and writes files only") is not { } resolved)
            {
                continue;
            }
            if (resolved.Count == 0)
            {
                WriteError(ToErrorRecord("FineTune.Path.NotFound", ErrorCategory.ObjectNotFound, $"No file matches '{path}'.", path,
                    "Check the folder and the pattern, or use -LiteralPath when the name contains wildcard characters such as [ ]."));
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

    /// <summary>
    /// One -Path (wildcards) or -LiteralPath as file-system paths, or null after a
    /// non-terminating error when it names no file-system item; <paramref name="fileSystemOnly"/>
    /// ends the error for a path on another provider.
    /// </summary>
    protected List<string>? ResolveProviderPath(string path, bool literal, string fileSystemOnly)
    {
        var resolved = new List<string>();
        try
        {
            if (literal)
            {
                resolved.Add(SessionState.Path.GetUnresolvedProviderPathFromPSPath(path));
                return resolved;
            }
            resolved.AddRange(GetResolvedProviderPathFromPSPath(path, out ProviderInfo provider));
            if (provider.Name != "FileSystem")
            {
                WriteError(ToErrorRecord("FineTune.Path.NotFileSystem", ErrorCategory.InvalidArgument,
                    $"'{path}' is on the {provider.Name} provider; {fileSystemOnly}.", path));
                return null;
            }
            return resolved;
        }
        catch (ItemNotFoundException ex)
        {
            WriteError(ToErrorRecord("FineTune.Path.NotFound", ErrorCategory.ObjectNotFound, ex.Message, path,
                "Check the path, or use -LiteralPath when the name contains wildcard characters such as [ ]."));
            return null;
        }
    }

    /// <summary>
    /// The input of a cmdlet that reads datasets, by its parameter set: -Path (wildcards) or
    /// -LiteralPath files, or -InputObject objects from the pipeline. Of those, paths, FileInfo
    /// and provider items are files; typed examples, objects with the keys of a training example
    /// (what Import-Jsonl writes) and lines of JSON text are examples when
    /// <paramref name="accepted"/> has <see cref="DatasetInputKinds.Examples"/>; measurements when it
    /// has <see cref="DatasetInputKinds.Measurements"/>. Anything else is an error record that says
    /// what to pipe instead: nothing is dropped without a word.
    /// </summary>
    private protected IEnumerable<DatasetInput> DatasetInputs(string[]? path, string[]? literalPath, PSObject[]? inputObject, DatasetInputKinds accepted)
    {
        if (ParameterSetName == InputObjectSet)
        {
            return (inputObject ?? Array.Empty<PSObject>()).SelectMany(item => PipelineInputs(item, accepted));
        }
        bool literal = ParameterSetName == LiteralPathSet;
        return ResolveFileSystemPaths(literal ? literalPath : path, literal).Select(DatasetInput.OfFile);
    }

    private IEnumerable<DatasetInput> PipelineInputs(PSObject item, DatasetInputKinds accepted)
    {
        long number = ++_inputObjects;
        ClassifiedInput input = PipelineInputClassifier.Classify(item);
        string command = MyInvocation.MyCommand.Name;
        bool takesExamples = accepted.HasFlag(DatasetInputKinds.Examples);
        switch (input.Shape)
        {
            case InputShape.PathPattern:
            case InputShape.LiteralPath:
                return ResolveFileSystemPaths(new[] { input.Path! }, literal: input.Shape == InputShape.LiteralPath).Select(DatasetInput.OfFile);
            case InputShape.Example when takesExamples:
                return new[] { DatasetInput.OfExample(input.Json!, ++_inputExamples) };
            case InputShape.Measurement when accepted.HasFlag(DatasetInputKinds.Measurements):
                return new[] { DatasetInput.OfMeasurement(input.Measurement!) };
            case InputShape.Example:
            case InputShape.NotAnExample when !takesExamples:
            case InputShape.Unwritable when !takesExamples:
                WriteError(ToErrorRecord("FineTune.Input.NotAFile", ErrorCategory.InvalidArgument,
                    $"{command} works on files, and input object {number} is {(input.Shape == InputShape.Example ? "an example" : "not a file")}.", item,
                    $"Write the examples to a file first, for example: ... | ConvertTo-FineTuneExample | Export-Jsonl ./train.jsonl; then {command} ./train.jsonl"));
                break;
            case InputShape.NotAnExample:
                WriteError(ToErrorRecord("FineTune.Input.NotAnExample", ErrorCategory.InvalidData,
                    $"Input object {number} is not a training example: it has {input.Detail}, and none of messages, prompt/completion or input/preferred_output.", item,
                    $"Convert rows to examples first: ... | ConvertTo-FineTuneExample | {command}"));
                break;
            case InputShape.Unwritable:
                WriteError(input.Failure!, item);
                break;
            default:
                WriteError(ToErrorRecord("FineTune.Input.Unsupported", ErrorCategory.InvalidType,
                    $"{command} cannot use input object {number}: it is {input.Detail}.", item,
                    "Pipe file paths, files (Get-ChildItem)" + (takesExamples ? ", examples (ConvertTo-FineTuneExample) or the lines Import-Jsonl reads" : "")
                    + (accepted.HasFlag(DatasetInputKinds.Measurements) ? ", or measurements (Measure-FineTuneDataset)" : "") + "."));
                break;
        }
        return Array.Empty<DatasetInput>();
    }

    /// <summary>
    /// The file at <paramref name="path"/> as Get-Item shows it: the FileSystem provider's object,
    /// with PSPath and the Mode, UnixMode, User, Group and Size a bare FileInfo shows empty.
    /// </summary>
    protected PSObject FileItem(string path) =>
        InvokeProvider.Item.Get(new[] { @"Microsoft.PowerShell.Core\FileSystem::" + path }, force: true, literalPath: true)[0];

    /// <summary>Resolves a path the cmdlet will create (the file need not exist).</summary>
    protected string ResolveOutputPath(string path) => SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
}
