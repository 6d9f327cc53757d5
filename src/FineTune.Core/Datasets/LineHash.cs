using System;
using System.Runtime.InteropServices;

namespace FineTune.Datasets;

/// <summary>A 128-bit fingerprint of a line: two independent 64-bit multiply-rotate lanes.</summary>
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

    public static LineHash Of(ReadOnlySpan<byte> data)
    {
        ulong a = P1 ^ (ulong)data.Length;
        ulong b = P3 + (ulong)data.Length;
        int i = 0;
        for (; i + 8 <= data.Length; i += 8)
        {
            ulong word = MemoryMarshal.Read<ulong>(data.Slice(i));
            a = RotateLeft(a ^ (word * P2), 31) * P1;
            b = RotateLeft(b ^ (word * P4), 29) * P3;
        }
        ulong tail = 0;
        for (int shift = 0; i < data.Length; i++, shift += 8)
        {
            tail |= (ulong)data[i] << shift;
        }
        a = RotateLeft(a ^ (tail * P2), 31) * P1;
        b = RotateLeft(b ^ (tail * P4), 29) * P3;
        return new LineHash(Mix(a), Mix(b ^ a));
    }

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
