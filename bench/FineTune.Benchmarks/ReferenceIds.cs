using System;
using System.IO;
using System.Runtime.InteropServices;

namespace FineTune.Benchmarks;

/// <summary>
/// tiktoken's token ids of every benchmark string, as bench/tiktoken-ids.js writes them: per
/// string its ids (uint32 little-endian), then 0xFFFFFFFF. That is the byte stream whose sha256
/// is bench.js's fingerprint, so tokens.sh can check the file against the timed run.
/// </summary>
internal sealed class ReferenceIds
{
    private const uint Separator = 0xFFFFFFFF;

    private readonly uint[] _ids;
    private readonly int[] _starts;

    private ReferenceIds(uint[] ids, int[] starts)
    {
        _ids = ids;
        _starts = starts;
    }

    public int Count => _starts.Length - 1;

    /// <summary>The ids of string <paramref name="index"/> (without the separator).</summary>
    public ReadOnlySpan<uint> Of(int index) => _ids.AsSpan(_starts[index], _starts[index + 1] - _starts[index] - 1);

    public static ReferenceIds Read(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length % 4 != 0)
        {
            throw new InvalidDataException($"{path}: {bytes.Length} bytes is not a whole number of uint32 ids.");
        }
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("The ids file is little-endian.");
        }
        uint[] ids = MemoryMarshal.Cast<byte, uint>(bytes).ToArray();
        int strings = 0;
        foreach (uint id in ids)
        {
            strings += id == Separator ? 1 : 0;
        }
        if (ids.Length > 0 && ids[^1] != Separator)
        {
            throw new InvalidDataException($"{path}: the last string has no 0xFFFFFFFF terminator (truncated file?).");
        }
        var starts = new int[strings + 1];
        int next = 1;
        for (int i = 0; i < ids.Length; i++)
        {
            if (ids[i] == Separator)
            {
                starts[next++] = i + 1;
            }
        }
        return new ReferenceIds(ids, starts);
    }
}
