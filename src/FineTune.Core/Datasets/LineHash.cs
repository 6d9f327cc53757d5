using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FineTune.Datasets;

/// <summary>
/// A 128-bit fingerprint of a line. Four 64-bit multiply-rotate lanes take 32 bytes per round
/// (independent lanes run side by side in the processor), and the final mix spreads every lane
/// over both halves: two different lines share a fingerprint with a probability of about 2^-64.
/// </summary>
internal readonly struct LineHash : IEquatable<LineHash>
{
    private const ulong P1 = 0x9E3779B185EBCA87UL;
    private const ulong P2 = 0xC2B2AE3D27D4EB4FUL;
    private const ulong P3 = 0x165667B19E3779F9UL;
    private const ulong P4 = 0xD6E8FEB86659FD93UL;

    public LineHash(ulong high, ulong low)
    {
        High = high;
        Low = low;
    }

    public ulong High { get; }
    public ulong Low { get; }

    [MethodImpl(HotPath.Optimize)]
    public static LineHash Of(ReadOnlySpan<byte> data)
    {
        ulong length = (ulong)data.Length;
        ulong a = P1 ^ length;
        ulong b = P3 + length;
        ulong c = P2 ^ (length << 1);
        ulong d = P4 + (length << 1);
        int i = 0;
        for (; i + 32 <= data.Length; i += 32)
        {
            a = Round(a, MemoryMarshal.Read<ulong>(data.Slice(i)));
            b = Round(b, MemoryMarshal.Read<ulong>(data.Slice(i + 8)));
            c = Round(c, MemoryMarshal.Read<ulong>(data.Slice(i + 16)));
            d = Round(d, MemoryMarshal.Read<ulong>(data.Slice(i + 24)));
        }
        for (; i + 8 <= data.Length; i += 8)
        {
            a = Round(a, MemoryMarshal.Read<ulong>(data.Slice(i)));
            (a, b, c, d) = (b, c, d, a);
        }
        ulong tail = 0;
        for (int shift = 0; i < data.Length; i++, shift += 8)
        {
            tail |= (ulong)data[i] << shift;
        }
        a = Round(a, tail);
        ulong high = Mix(a ^ RotateLeft(b, 17) ^ RotateLeft(c, 34) ^ RotateLeft(d, 51));
        ulong low = Mix(c ^ RotateLeft(d, 23) ^ RotateLeft(a, 41) ^ RotateLeft(b, 7) ^ high);
        return new LineHash(high, low);
    }

    private static ulong Round(ulong lane, ulong word) => RotateLeft(lane ^ (word * P2), 31) * P1;

    private static ulong RotateLeft(ulong value, int count) => (value << count) | (value >> (64 - count));

    private static ulong Mix(ulong h)
    {
        h ^= h >> 33;
        h *= 0xFF51AFD7ED558CCDUL;
        h ^= h >> 33;
        h *= 0xC4CEB9FE1A85EC53UL;
        h ^= h >> 33;
        return h;
    }

    public bool Equals(LineHash other) => High == other.High && Low == other.Low;

    public override bool Equals(object? obj) => obj is LineHash other && Equals(other);

    public override int GetHashCode() => (int)(Low ^ (Low >> 32));
}
