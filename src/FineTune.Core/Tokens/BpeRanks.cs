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
/// <remarks>
/// Each map entry is two adjacent words: a tag (hash, length, rank) and, for tokens of at most
/// 8 bytes (nearly every lookup), the token's bytes as one word. A lookup of a short piece then
/// touches one cache line of the map and nothing else; the table is several MB, so every other
/// memory access of a lookup is a likely cache miss.
/// </remarks>
internal sealed class BpeRanks
{
    private const ulong Multiplier = 0x9E3779B97F4A7C15;

    /// <summary>Longest token whose bytes are kept in its map entry.</summary>
    private const int InlineBytes = 8;

    private readonly byte[] _bytes;
    private readonly int[] _offsets;
    private readonly int[] _pairs;

    /// <summary>Entry i is [2i] tag: hash (32 bits), length (8), rank + 1 (24; 0 = empty); [2i+1]: the bytes as <see cref="Word"/>.</summary>
    private readonly ulong[] _entries;
    private readonly int _mask;

    [MethodImpl(HotPath.Optimize)]
    private BpeRanks(byte[] bytes, int[] offsets)
    {
        _bytes = bytes;
        _offsets = offsets;
        int count = offsets.Length - 1;
        if (count >= 1 << 24)
        {
            throw new InvalidDataException("The rank data has more tokens than a map entry can number.");
        }
        _pairs = new int[0x10000];
        _pairs.AsSpan().Fill(-1);
        int capacity = 1;
        while (capacity < count * 2)
        {
            capacity <<= 1;
        }
        _entries = new ulong[capacity * 2];
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
            while (_entries[index * 2] != 0)
            {
                index = (index + 1) & _mask;
            }
            _entries[index * 2] = Tag(hash, token.Length, rank);
            _entries[(index * 2) + 1] = token.Length <= InlineBytes ? Word(token) : 0;
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
        int length = bytes.Length;
        if (length > InlineBytes)
        {
            return LookupLonger(bytes);
        }
        ulong word = Word(bytes);
        uint hash = Finish(Mix(((ulong)length * Multiplier) ^ word));
        ulong wanted = TagKey(hash, length);
        int index = (int)hash & _mask;
        while (true)
        {
            ulong tag = _entries[index * 2];
            if (tag == 0)
            {
                return -1;
            }
            // Same hash and length, and the same bytes: for 3 to 8 bytes, Word is one-to-one.
            if ((tag & ~0xFFFFFFUL) == wanted && _entries[(index * 2) + 1] == word)
            {
                return (int)(tag & 0xFFFFFF) - 1;
            }
            index = (index + 1) & _mask;
        }
    }

    [MethodImpl(HotPath.Optimize)]
    private int LookupLonger(ReadOnlySpan<byte> bytes)
    {
        uint hash = Hash(bytes);
        ulong wanted = TagKey(hash, bytes.Length);
        int index = (int)hash & _mask;
        while (true)
        {
            ulong tag = _entries[index * 2];
            if (tag == 0)
            {
                return -1;
            }
            if ((tag & ~0xFFFFFFUL) == wanted)
            {
                int rank = (int)(tag & 0xFFFFFF) - 1;
                if (bytes.SequenceEqual(new ReadOnlySpan<byte>(_bytes, _offsets[rank], bytes.Length)))
                {
                    return rank;
                }
            }
            index = (index + 1) & _mask;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Tag(uint hash, int length, int rank) => TagKey(hash, length) | (uint)(rank + 1);

    /// <summary>The tag without its rank: what a lookup compares.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong TagKey(uint hash, int length) => ((ulong)hash << 32) | ((ulong)(uint)length << 24);

    /// <summary>
    /// The bytes of a span of 1 to 8 bytes as one word: the first and the last four bytes
    /// (overlapping when shorter than 8), or the first, middle and last byte when shorter than 4.
    /// Given the length, different spans give different words.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Word(ReadOnlySpan<byte> bytes)
    {
        int length = bytes.Length;
        return length >= 4
            ? BinaryPrimitives.ReadUInt32LittleEndian(bytes) | ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(bytes.Slice(length - 4)) << 32)
            : bytes[0] | ((ulong)bytes[length >> 1] << 8) | ((ulong)bytes[length - 1] << 16);
    }

    /// <summary>
    /// A hash of a byte span that reads whole words: pieces of up to 8 bytes (the common case)
    /// hash their <see cref="Word"/> with one multiply, with no per-byte loop.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint Hash(ReadOnlySpan<byte> bytes)
    {
        int length = bytes.Length;
        ulong hash = (ulong)length * Multiplier;
        if (length > InlineBytes)
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
        else if (length > 0)
        {
            hash = Mix(hash ^ Word(bytes));
        }
        return Finish(hash);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Finish(ulong hash) => (uint)(hash ^ (hash >> 32)) | 1u;

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
