using System;
using System.Collections.Generic;
using System.Linq;
using FineTune.Datasets;
using Xunit;

namespace FineTune.Core.Tests.Datasets;

public class StructSortTests
{
    private readonly struct ByKeyThenIndex : IComparer<(int Key, int Index)>
    {
        public int Compare((int Key, int Index) x, (int Key, int Index) y) =>
            x.Key != y.Key ? x.Key.CompareTo(y.Key) : x.Index.CompareTo(y.Index);
    }

    /// <summary>Orders that break naive quicksorts: sorted, reversed, all equal, organ pipe, few distinct, random.</summary>
    public static IEnumerable<object[]> Inputs()
    {
        foreach (int length in new[] { 0, 1, 2, 3, 16, 17, 100, 10_007, 200_000 })
        {
            var random = new Random(length);
            yield return new object[] { "sorted", Enumerable.Range(0, length).ToArray() };
            yield return new object[] { "reversed", Enumerable.Range(0, length).Reverse().ToArray() };
            yield return new object[] { "equal", Enumerable.Repeat(7, length).ToArray() };
            yield return new object[] { "organ pipe", Enumerable.Range(0, length).Select(i => Math.Min(i, length - i)).ToArray() };
            yield return new object[] { "few distinct", Enumerable.Range(0, length).Select(_ => random.Next(4)).ToArray() };
            yield return new object[] { "random", Enumerable.Range(0, length).Select(_ => random.Next()).ToArray() };
        }
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Sorts_as_Array_Sort_does(string shape, int[] keys)
    {
        (int, int)[] items = keys.Select((key, index) => (key, index)).ToArray();
        (int, int)[] expected = items.OrderBy(i => i.Item1).ThenBy(i => i.Item2).ToArray();
        StructSort.Sort<(int Key, int Index), ByKeyThenIndex>(items);
        Assert.True(expected.SequenceEqual(items), shape);
    }
}
