using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace FineTune.Tokens;

/// <summary>
/// The mergeable ranks of one encoding: token bytes by rank (for decoding) and an
/// open-addressing hash map from byte spans to ranks (for encoding). Immutable once built,
/// so one instance serves every thread.
/// </summary>
internal sealed class BpeRanks
{
    private const ulong Multiplier = 0x9E3779B97F4A7C15;

    private readonly byte[] _bytes;
    private readonly int[] _offsets;
    private readonly int[] _pairs;
    private readonly ulong[] _slots;
    private readonly int _mask;

    [MethodImpl(HotPath.Optimize)]
    private BpeRanks(byte[] bytes, int[] offsets)
    {
        _bytes = bytes;
        _offsets = offsets;
        int count = offsets.Length - 1;
        _pairs = new int[0x10000];
        _pairs.AsSpan().Fill(-1);
        int capacity = 1;
        while (capacity < count * 2)
        {
            capacity <<= 1;
        }
        _slots = new ulong[capacity];
        _mask = capacity - 1;
        for (int rank = 0; rank < count; rank++)
        {
            ReadOnlySpan<byte> token = Token(rank);
            if (token.Length == 1)
            {
                continue;
            }
            if (token.Length == 2)
            {
                _pairs[(token[0] << 8) | token[1]] = rank;
                continue;
            }
            uint hash = Hash(token);
            int index = (int)hash & _mask;
            while (_slots[index] != 0)
            {
                index = (index + 1) & _mask;
            }
            _slots[index] = ((ulong)hash << 32) | (uint)(rank + 1);
        }
        SingleBytes = new int[256];
        SingleBytes.AsSpan().Fill(-1);
        for (int rank = 0; rank < count; rank++)
        {
            if (Length(rank) == 1)
            {
                SingleBytes[bytes[offsets[rank]]] = rank;
            }
        }
        foreach (int rank in SingleBytes)
        {
            if (rank < 0)
            {
                throw new InvalidDataException("The rank data lacks a token for some single byte; byte-level BPE needs all 256.");
            }
        }
    }

    /// <summary>The rank of each single byte (every byte value has one).</summary>
    public int[] SingleBytes { get; }

    /// <summary>Number of mergeable tokens (ranks 0 to Count-1).</summary>
    public int Count => _offsets.Length - 1;

    public ReadOnlySpan<byte> Token(int rank) => new(_bytes, _offsets[rank], _offsets[rank + 1] - _offsets[rank]);

    public int Length(int rank) => _offsets[rank + 1] - _offsets[rank];

    /// <summary>The rank of the token whose bytes are the two given bytes, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Pair(byte first, byte second) => _pairs[(first << 8) | second];

    /// <summary>The rank of the token with exactly these bytes, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Lookup(ReadOnlySpan<byte> bytes)
    {
        switch (bytes.Length)
        {
            case 1:
                return SingleBytes[bytes[0]];
            case 2:
                return _pairs[(bytes[0] << 8) | bytes[1]];
            default:
                return LookupLong(bytes);
        }
    }

    [MethodImpl(HotPath.Optimize)]
    private int LookupLong(ReadOnlySpan<byte> bytes)
    {
        uint hash = Hash(bytes);
        int index = (int)hash & _mask;
        while (true)
        {
            ulong slot = _slots[index];
            if (slot == 0)
            {
                return -1;
            }
            if ((uint)(slot >> 32) == hash)
            {
                int rank = (int)(uint)slot - 1;
                int start = _offsets[rank];
                if (_offsets[rank + 1] - start == bytes.Length && bytes.SequenceEqual(new ReadOnlySpan<byte>(_bytes, start, bytes.Length)))
                {
                    return rank;
                }
            }
            index = (index + 1) & _mask;
        }
    }

    /// <summary>
    /// A hash of a byte span that reads whole words: pieces of 4 to 8 bytes (the common case)
    /// take two overlapping 32-bit reads and one multiply, with no per-byte loop.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint Hash(ReadOnlySpan<byte> bytes)
    {
        int length = bytes.Length;
        ulong hash = (ulong)length * Multiplier;
        if (length >= 8)
        {
            int i = 0;
            for (; i + 8 <= length; i += 8)
            {
                hash = Mix(hash ^ BinaryPrimitives.ReadUInt64LittleEndian(bytes.Slice(i)));
            }
            if (i < length)
            {
                hash = Mix(hash ^ BinaryPrimitives.ReadUInt64LittleEndian(bytes.Slice(length - 8)));
            }
        }
        else if (length >= 4)
        {
            ulong value = BinaryPrimitives.ReadUInt32LittleEndian(bytes) | ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(bytes.Slice(length - 4)) << 32);
            hash = Mix(hash ^ value);
        }
        else if (length > 0)
        {
            hash = Mix(hash ^ (bytes[0] | ((ulong)bytes[length >> 1] << 8) | ((ulong)bytes[length - 1] << 16)));
        }
        return (uint)(hash ^ (hash >> 32)) | 1u;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong value)
    {
        value *= Multiplier;
        return value ^ (value >> 29);
    }

    /// <summary>Reads the packed rank resource written by tools/tiktoken-reference/pack-ranks.js.</summary>
    [MethodImpl(HotPath.Optimize)]
    public static BpeRanks Load(string encodingName)
    {
        string resource = $"FineTune.Tokens.{encodingName}.ranks.deflate";
        using Stream? packed = typeof(BpeRanks).GetTypeInfo().Assembly.GetManifestResourceStream(resource);
        if (packed is null)
        {
            throw new InvalidOperationException($"The engine assembly lacks its embedded resource '{resource}'.");
        }
        using var inflated = new DeflateStream(packed, CompressionMode.Decompress);
        using var data = new MemoryStream();
        inflated.CopyTo(data);
        byte[] raw = data.GetBuffer();
        int length = (int)data.Length;
        int count = (int)BinaryPrimitives.ReadUInt32LittleEndian(raw.AsSpan(0, 4));
        var offsets = new int[count + 1];
        var bytes = new byte[length - 4 - count];
        int position = 4;
        int written = 0;
        for (int rank = 0; rank < count; rank++)
        {
            int tokenLength = raw[position++];
            Buffer.BlockCopy(raw, position, bytes, written, tokenLength);
            position += tokenLength;
            written += tokenLength;
            offsets[rank + 1] = written;
        }
        if (position != length || written != bytes.Length)
        {
            throw new InvalidDataException($"The embedded rank data '{resource}' is damaged.");
        }
        return new BpeRanks(bytes, offsets);
    }
}
