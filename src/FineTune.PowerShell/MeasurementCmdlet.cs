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
/// from the catalog, and measuring one file on a worker with a byte progress bar (ByteProgress:
/// throttled, always completed) and per-line errors as non-terminating errors.
/// </summary>
public abstract class MeasurementCmdlet : FineTuneCmdlet
{
    private static int s_activityIds = 4100;

    protected ModelCatalog? Catalog { get; private set; }

    protected ModelSelection? Selection { get; private set; }

    /// <summary>Loads the catalog and resolves the model, encoding and limit; a failure stops the cmdlet.</summary>
    protected void SelectModel(string? catalogPath, string? model, string? provider, string? encoding, int? tokenLimit)
    {
        try
        {
            Catalog = ModelCatalog.Load(catalogPath is null ? null : ResolveOutputPath(catalogPath));
            Selection = ModelSelection.Resolve(Catalog, model, provider, encoding, tokenLimit);
        }
        catch (FineTuneException ex)
        {
            ThrowTerminatingError(ex, model ?? encoding ?? catalogPath);
        }
        WriteVerbose(Selection!.Model is BaseModel entry
            ? $"Counting with {entry.Provider} {entry.Snapshot}: {Selection.Encoding.Name}, limit {Selection.TokenLimit?.ToString() ?? "unknown"}."
            : $"Counting with {Selection.Encoding.Name}, limit {Selection.TokenLimit?.ToString() ?? "none"}.");
    }

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
                (read, length) =>
                {
                    progress.SetTotal(length);
                    progress.Report(read);
                },
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
