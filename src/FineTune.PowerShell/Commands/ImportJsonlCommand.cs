using System;
using System.IO;
using System.Management.Automation;
using FineTune.Datasets;

namespace FineTune.PowerShell.Commands;

/// <summary>Reads a JSON Lines file as one custom object per line, losslessly.</summary>
/// <remarks>
/// <para>Each line becomes a <c>[pscustomobject]</c> with its properties in file order. Numbers stay exactly as written: integers stay integers (12345678901234 stays exact; larger ones become BigInteger), fractions keep their digits, and a number no .NET type can hold as written (1e999, 1e-999, 40 significant digits, 1E5) becomes a FineTune.Datasets.JsonNumber that shows and exports its text and converts to the nearest double in arithmetic. Nested objects and arrays are preserved, so <c>Import-Jsonl a.jsonl | Export-Jsonl b.jsonl</c> is lossless.</para>
/// <para>The file is streamed: memory depends on the longest line, not on the file. A line longer than 256 MiB (the limit of every FineTune reader) is a non-terminating LineTooLong error and the lines after it are read. A UTF-8 byte order mark is accepted, <c>\r\n</c> and <c>\n</c> line ends both work, and blank lines are skipped.</para>
/// <para>A line that is not a JSON object (invalid JSON, invalid UTF-8, an array, objects nested more than 256 levels, keys that differ only in case) is a non-terminating error with path:line:column and the parser's reason; the rest of the file goes on.</para>
/// </remarks>
/// <example>
/// <code>Import-Jsonl ./train.jsonl | Select-Object -First 3</code>
/// <para>Shows the first three examples of a training file.</para>
/// </example>
/// <example>
/// <code>Get-ChildItem ./data/*.jsonl | Import-Jsonl | ConvertTo-FineTuneExample | Export-Jsonl ./all.jsonl</code>
/// <para>Reads every JSONL file of a folder and merges their examples into one typed training file.</para>
/// </example>
[Cmdlet(VerbsData.Import, "Jsonl", DefaultParameterSetName = PathSet)]
[OutputType(typeof(PSObject))]
public sealed class ImportJsonlCommand : FineTuneCmdlet
{

    /// <summary>The files to read; wildcards are allowed.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>The files to read, used exactly as typed; binds from the PSPath of <c>Get-ChildItem</c> output.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = Array.Empty<string>();

    protected override void ProcessRecord()
    {
        bool literal = ParameterSetName == LiteralPathSet;
        foreach (string file in ResolveFileSystemPaths(literal ? LiteralPath : Path, literal))
        {
            ReadFile(file);
        }
    }

    private void ReadFile(string file)
    {
        JsonlReader reader;
        try
        {
            reader = JsonlReader.Open(file, cancellationToken: CancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            WriteError(new FineTuneException("FineTune.Jsonl.ReadFailed", FailureKind.ReadError, $"Cannot read '{file}': {ex.Message}", file,
                "Check that the file exists and that you can read it.", ex));
            return;
        }
        using (reader)
        {
            while (Read(reader, file))
            {
                string location = $"{file}:{reader.LineNumber}";
                if (reader.IsTooLong)
                {
                    WriteError(new FineTuneException("FineTune.Jsonl.LineTooLong", FailureKind.LimitsExceeded,
                        $"{location}: the line {reader.DescribeTooLong()}; it was skipped.", location,
                        "Split the record or remove embedded data (such as base64 images)."));
                    continue;
                }
                if (JsonValueParser.TryParseObject(reader.Line, out JsonObjectValue? value, out JsonLineError? error, keyComparer: StringComparer.OrdinalIgnoreCase))
                {
                    WriteObject(JsonToPSObject.Convert(value!));
                    continue;
                }
                WriteError(new FineTuneException("FineTune.Jsonl." + error!.Code, FailureKind.InvalidData,
                    $"{location}:{error.Column}: {error.Reason}.", location,
                    error.Code == "DuplicateKey"
                        ? "PowerShell property names ignore case: rename one of the keys."
                        : "Fix the line so it is one complete JSON object; the other lines were read."));
            }
        }
    }

    /// <summary>The next line; false at the end, on Ctrl+C, or when the file cannot be read further (the error is written).</summary>
    private bool Read(JsonlReader reader, string file)
    {
        try
        {
            return reader.Read();
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            WriteError(new FineTuneException("FineTune.Jsonl.ReadFailed", FailureKind.ReadError, $"Cannot read '{file}' after line {reader.LineNumber}: {ex.Message}", file,
                "Check that the file is readable and not being changed.", ex));
            return false;
        }
    }
}
