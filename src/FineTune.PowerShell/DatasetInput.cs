using System;

namespace FineTune.PowerShell;

/// <summary>What a dataset cmdlet can take from the pipeline besides files (always taken).</summary>
[Flags]
internal enum DatasetInputKinds
{
    Files = 0,

    /// <summary>Typed examples, objects read by Import-Jsonl, and JSON text lines.</summary>
    Examples = 1,

    /// <summary>DatasetMeasurement objects from Measure-FineTuneDataset.</summary>
    Measurements = 2,
}

/// <summary>One item of a dataset cmdlet's input: a file, one example (its JSON), or a measurement.</summary>
internal sealed class DatasetInput
{
    private DatasetInput(string? file, byte[]? example, long position, DatasetMeasurement? measurement)
    {
        File = file;
        Example = example;
        Position = position;
        Measurement = measurement;
    }

    /// <summary>The file to read; null for the other kinds.</summary>
    public string? File { get; }

    /// <summary>The example's compact JSON, UTF-8; empty for a blank line; null for the other kinds.</summary>
    public byte[]? Example { get; }

    /// <summary>The example's 1-based position among the examples the cmdlet received.</summary>
    public long Position { get; }

    public DatasetMeasurement? Measurement { get; }

    public static DatasetInput OfFile(string path) => new(path, null, 0, null);

    public static DatasetInput OfExample(byte[] json, long position) => new(null, json, position, null);

    public static DatasetInput OfMeasurement(DatasetMeasurement measurement) => new(null, null, 0, measurement);
}
