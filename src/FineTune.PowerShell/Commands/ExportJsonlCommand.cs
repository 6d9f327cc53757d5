using System;
using System.IO;
using System.Management.Automation;
using FineTune.Datasets;

namespace FineTune.PowerShell.Commands;

/// <summary>Writes objects to a JSON Lines file, one compact JSON object per line, atomically.</summary>
/// <remarks>
/// <para>Every input object becomes one line of compact JSON, UTF-8 without a byte order mark, ending in <c>\n</c>, on every edition and operating system. Non-ASCII text is written as UTF-8, not as <c>\u</c> escapes.</para>
/// <para>-Encoding utf8BOM starts the file with the UTF-8 byte order mark (EF BB BF). Use it for training files uploaded to Azure OpenAI, whose documentation asks for UTF-8 with a byte order mark; keep the default, utf8NoBOM, for OpenAI and for tools that read JSON Lines strictly, which may take a mark for stray bytes. Every FineTune cmdlet that reads JSON Lines accepts both. With -Append, a mark is written only when the file is new or empty.</para>
/// <para>Typed examples from <c>ConvertTo-FineTuneExample</c> are written in the service's exact wire shape (snake_case keys, empty values left out). Any other object (custom objects, hashtables, arrays, numbers, Booleans, null, dates as ISO 8601, enums by name) is written at any depth, never truncated as <c>ConvertTo-Json</c> does by default. An object that refers to itself is an error naming where, not a hang.</para>
/// <para>The export streams: each object is written as it arrives, so memory does not depend on the number of objects. It is atomic: the lines go to a hidden temporary file beside the target, which is renamed over the target when the pipeline ends. An interrupted or failed pipeline (Ctrl+C, a terminating error) leaves no partial file, and an existing file stays untouched.</para>
/// <para>Exception: with <c>-Append</c> the lines are added to the end of the existing file in place, so the lines written before an interruption stay in the file. The file only ever grows by whole lines: when a write fails (a full disk) it is cut back to the end of its last whole line, and the error (FineTune.Path.WriteFailed) says so.</para>
/// <para>A write that fails (a full disk, no permission) is a terminating FineTune.Path.WriteFailed error naming the file; the temporary file is removed, and hidden temporary files that a killed export left beside the target are removed by the next export to it.</para>
/// <para>An object that cannot be written (a cycle, NaN, invalid Unicode) is a non-terminating error and none of its bytes reach the file; use <c>-ErrorAction Stop</c> to abandon the whole export instead.</para>
/// </remarks>
/// <example>
/// <code>Import-Csv ./qa.csv | ConvertTo-FineTuneExample -UserProperty Question -AssistantProperty Answer | Export-Jsonl ./qa.jsonl</code>
/// <para>Converts CSV rows to chat examples and writes the training file.</para>
/// </example>
/// <example>
/// <code>Import-Jsonl ./a.jsonl | Where-Object { $_.messages.Count -gt 2 } | Export-Jsonl ./b.jsonl -NoClobber -PassThru</code>
/// <para>Filters a JSONL file losslessly into a new file, refusing to replace an existing one, and returns the new file.</para>
/// </example>
/// <example>
/// <code>Import-Jsonl ./qa.jsonl | Export-Jsonl ./qa-azure.jsonl -Encoding utf8BOM</code>
/// <para>Writes a copy of a training file with the byte order mark Azure OpenAI's documentation asks for.</para>
/// </example>
/// <example>
/// <code>$more | Export-Jsonl ./qa.jsonl -Append</code>
/// <para>Adds lines to the end of an existing file (in place, not atomic).</para>
/// </example>
[Cmdlet(VerbsData.Export, "Jsonl", SupportsShouldProcess = true, DefaultParameterSetName = PathSet)]
[OutputType(typeof(FileInfo))]
public sealed class ExportJsonlCommand : FineTuneCmdlet, IDisposable
{

    private JsonlWriter? _writer;
    private string? _target;
    private long _record;

    /// <summary>The file to write. Relative paths are resolved against the current location.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>The file to write, used exactly as typed (no wildcard characters are interpreted).</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string LiteralPath { get; set; } = string.Empty;

    /// <summary>The object to write as one line; usually from the pipeline.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [AllowNull]
    public PSObject? InputObject { get; set; }

    /// <summary>Adds the lines to the end of an existing file, in place (not atomic).</summary>
    [Parameter]
    public SwitchParameter Append { get; set; }

    /// <summary>Refuses to replace an existing file.</summary>
    [Parameter]
    [Alias("NoOverwrite")]
    public SwitchParameter NoClobber { get; set; }

    /// <summary>Replaces a read-only file too.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Returns the written file (a <c>FileInfo</c>) when the export completes.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>utf8NoBOM (the default) or utf8BOM, which starts the file with the UTF-8 byte order mark, as Azure OpenAI's documentation asks for training files.</summary>
    [Parameter]
    [ValidateSet("utf8NoBOM", "utf8BOM", IgnoreCase = true)]
    public string Encoding { get; set; } = "utf8NoBOM";

    protected override void BeginProcessing()
    {
        string target = ResolveOutputPath(ParameterSetName == LiteralPathSet ? LiteralPath : Path);
        if (!ShouldProcess(target, Append ? "Append JSON lines" : "Write JSON lines"))
        {
            return;
        }
        FileWriteMode mode = Append ? FileWriteMode.Append : NoClobber ? FileWriteMode.NoClobber : FileWriteMode.Overwrite;
        try
        {
            _writer = JsonlWriter.Open(target, mode, Force, PSObjectPropertyReader.Instance,
                byteOrderMark: string.Equals(Encoding, "utf8BOM", StringComparison.OrdinalIgnoreCase));
            _target = target;
        }
        catch (FineTuneException ex)
        {
            ThrowTerminatingError(ex, target);
        }
    }

    protected override void ProcessRecord()
    {
        _record++;
        if (_writer is null)
        {
            return;
        }
        try
        {
            _writer.WriteRecord(InputObject);
        }
        catch (FineTuneException ex) when (ex.ErrorId == AtomicFileWriter.WriteFailedId)
        {
            ThrowTerminatingError(ex, _target); // the disk, not the object: nothing more can be written
        }
        catch (FineTuneException ex)
        {
            WriteError(new FineTuneException(ex.ErrorId, ex.Kind, $"Object {_record} was not written: {ex.Message}", InputObject, ex.RecommendedAction, ex), InputObject);
        }
    }

    protected override void EndProcessing()
    {
        if (_writer is null)
        {
            return;
        }
        try
        {
            _writer.Commit();
            WriteVerbose($"Wrote {_writer.RecordCount} line(s) to '{_target}'.");
        }
        catch (FineTuneException ex)
        {
            ThrowTerminatingError(ex, _target);
        }
        finally
        {
            _writer.Dispose();
            _writer = null;
        }
        if (PassThru)
        {
            WriteObject(FileItem(_target!));
        }
    }

    /// <summary>Called by PowerShell when the pipeline ends for any reason: an uncommitted export is discarded.</summary>
    void IDisposable.Dispose()
    {
        _writer?.Dispose();
        _writer = null;
        Dispose();
    }
}
