using System;
using System.IO;
using System.Management.Automation;
using System.Threading.Tasks;
using FineTune.Measurement;
using FineTune.Models;
using FineTune.PowerShell.Service;

namespace FineTune.PowerShell;

/// <summary>
/// What Measure-FineTuneDataset and Measure-FineTuneCost share: choosing the encoding and limit
/// from the catalog, measuring one file on a worker with a byte progress bar (ByteProgress:
/// throttled, always completed), measuring the examples piped in as one dataset, and per-line
/// errors as non-terminating errors.
/// </summary>
public abstract class MeasurementCmdlet : FineTuneCmdlet
{
    private static int s_activityIds = 4100;

    protected ModelCatalog? Catalog { get; private set; }

    /// <summary>The model, encoding and limit the cmdlet counts with (set by <see cref="SelectModel"/>).</summary>
    protected ModelSelection? Selection { get; private set; }

    private ExampleStreamMeasurer? _examples;

    /// <summary>Loads the catalog and resolves the model, encoding and limit; a failure stops the cmdlet.</summary>
    protected void SelectModel(string? catalogPath, string? model, string? provider, string? encoding, int? tokenLimit) =>
        Selection = ResolveSelection(catalogPath, model, provider, encoding, tokenLimit);

    /// <summary>Resolves a model, encoding and limit without making them the cmdlet's; a failure stops the cmdlet.</summary>
    protected ModelSelection ResolveSelection(string? catalogPath, string? model, string? provider, string? encoding, int? tokenLimit)
    {
        ModelSelection? selection = null;
        try
        {
            Catalog = ModelCatalog.Load(catalogPath is null ? null : ResolveOutputPath(catalogPath));
            selection = ModelSelection.Resolve(Catalog, model, provider, encoding, tokenLimit);
        }
        catch (FineTuneException ex)
        {
            ThrowTerminatingError(ex, model ?? encoding ?? catalogPath);
        }
        WriteVerbose(selection!.Model is BaseModel entry
            ? $"Counting with {entry.Provider} {entry.Snapshot}: {selection.Encoding.Name}, limit {selection.TokenLimit?.ToString() ?? "unknown"}."
            : $"Counting with {selection.Encoding.Name}, limit {selection.TokenLimit?.ToString() ?? "none"}.");
        return selection;
    }

    /// <summary>
    /// Counts one example from the pipeline into the dataset the piped examples make up; an
    /// example that cannot be counted is a non-terminating error. Null for a blank line.
    /// </summary>
    private protected ExampleTokenCount? MeasureExample(DatasetInput input)
    {
        _examples ??= new ExampleStreamMeasurer(Selection!.Encoding, Selection.TokenLimit, Selection.Model?.Snapshot);
        if (input.Example!.Length == 0)
        {
            return null;
        }
        LineMeasurement measured = _examples.Add(input.Position, input.Example);
        if (measured.Error is FineTuneException error)
        {
            WriteError(error);
        }
        return measured.Example;
    }

    /// <summary>The statistics of the examples piped in, or null when none came.</summary>
    protected DatasetMeasurement? CompleteExamples() => _examples?.Complete();

    /// <summary>Measures <paramref name="path"/>; null when it failed (the error is written).</summary>
    protected DatasetMeasurement? MeasureFile(string path, Action<ExampleTokenCount>? onExample)
    {
        int activityId = System.Threading.Interlocked.Increment(ref s_activityIds);
        var progress = new ByteProgress(record => Post(() => WriteProgress(record)), activityId,
            $"Counting tokens in {Path.GetFileName(path)} ({Selection!.Encoding.Name})", 0);
        try
        {
            var measurer = new DatasetMeasurer(Selection.Encoding, Selection.TokenLimit, Selection.Model?.Snapshot);
            return RunAsync(token => Task.Factory.StartNew(() => measurer.Measure(path,
                line =>
                {
                    if (line.Error is FineTuneException error)
                    {
                        Post(() => WriteError(error));
                    }
                    else if (onExample is not null)
                    {
                        ExampleTokenCount example = line.Example!;
                        Post(() => onExample(example));
                    }
                },
                (read, length) => progress.Report(read, length),
                token), token, TaskCreationOptions.LongRunning, TaskScheduler.Default));
        }
        catch (FineTuneException ex)
        {
            WriteError(ex, path);
            return null;
        }
        finally
        {
            progress.Complete();
        }
    }
}
