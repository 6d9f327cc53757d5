using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace FineTune.Datasets;

/// <summary>
/// An introspective sort whose comparer is a struct type, so every comparison is compiled in
/// place; <c>Array.Sort</c> with a comparer calls it through a delegate, which made sorting a
/// million line fingerprints the slowest step after the last line of a file was checked.
/// Not stable.
/// </summary>
internal static class StructSort
{
    private const int InsertionSortLimit = 16;

    [MethodImpl(HotPath.Optimize)]
    public static void Sort<T, TComparer>(Span<T> items) where TComparer : struct, IComparer<T>
    {
        int depthLimit = 2 * (Log2(items.Length) + 1);
        IntroSort<T, TComparer>(items, depthLimit);
    }

    [MethodImpl(HotPath.Optimize)]
    private static void IntroSort<T, TComparer>(Span<T> items, int depthLimit) where TComparer : struct, IComparer<T>
    {
        while (items.Length > InsertionSortLimit)
        {
            if (depthLimit-- == 0)
            {
                HeapSort<T, TComparer>(items);
                return;
            }
            int pivot = Partition<T, TComparer>(items);
            // Recurse into the smaller side and loop on the larger, so the stack stays logarithmic.
            if (pivot < items.Length - pivot)
            {
                IntroSort<T, TComparer>(items.Slice(0, pivot), depthLimit);
                items = items.Slice(pivot + 1);
            }
            else
            {
                IntroSort<T, TComparer>(items.Slice(pivot + 1), depthLimit);
                items = items.Slice(0, pivot);
            }
        }
        InsertionSort<T, TComparer>(items);
    }

    /// <summary>Median-of-three pivot moved to the end, then Hoare-style partition; returns the pivot's final index.</summary>
    [MethodImpl(HotPath.Optimize)]
    private static int Partition<T, TComparer>(Span<T> items) where TComparer : struct, IComparer<T>
    {
        TComparer comparer = default;
        int last = items.Length - 1;
        int middle = last >> 1;
        SwapIfGreater<T, TComparer>(items, 0, middle);
        SwapIfGreater<T, TComparer>(items, 0, last);
        SwapIfGreater<T, TComparer>(items, middle, last);
        T pivot = items[middle];
        Swap(items, middle, last - 1);
        int left = 0;
        int right = last - 1;
        while (left < right)
        {
            while (comparer.Compare(items[++left], pivot) < 0)
            {
            }
            while (comparer.Compare(pivot, items[--right]) < 0)
            {
            }
            if (left >= right)
            {
                break;
            }
            Swap(items, left, right);
        }
        if (left != last - 1)
        {
            Swap(items, left, last - 1);
        }
        return left;
    }

    [MethodImpl(HotPath.Optimize)]
    private static void InsertionSort<T, TComparer>(Span<T> items) where TComparer : struct, IComparer<T>
    {
        TComparer comparer = default;
        for (int i = 1; i < items.Length; i++)
        {
            T item = items[i];
            int j = i - 1;
            while (j >= 0 && comparer.Compare(items[j], item) > 0)
            {
                items[j + 1] = items[j];
                j--;
            }
            items[j + 1] = item;
        }
    }

    [MethodImpl(HotPath.Optimize)]
    private static void HeapSort<T, TComparer>(Span<T> items) where TComparer : struct, IComparer<T>
    {
        for (int i = items.Length / 2 - 1; i >= 0; i--)
        {
            SiftDown<T, TComparer>(items, i, items.Length);
        }
        for (int end = items.Length - 1; end > 0; end--)
        {
            Swap(items, 0, end);
            SiftDown<T, TComparer>(items, 0, end);
        }
    }

    [MethodImpl(HotPath.Optimize)]
    private static void SiftDown<T, TComparer>(Span<T> items, int root, int length) where TComparer : struct, IComparer<T>
    {
        TComparer comparer = default;
        while (true)
        {
            int child = 2 * root + 1;
            if (child >= length)
            {
                return;
            }
            if (child + 1 < length && comparer.Compare(items[child], items[child + 1]) < 0)
            {
                child++;
            }
            if (comparer.Compare(items[root], items[child]) >= 0)
            {
                return;
            }
            Swap(items, root, child);
            root = child;
        }
    }

    [MethodImpl(HotPath.Optimize)]
    private static void SwapIfGreater<T, TComparer>(Span<T> items, int i, int j) where TComparer : struct, IComparer<T>
    {
        if (default(TComparer).Compare(items[i], items[j]) > 0)
        {
            Swap(items, i, j);
        }
    }

    [MethodImpl(HotPath.Optimize)]
    private static void Swap<T>(Span<T> items, int i, int j) => (items[i], items[j]) = (items[j], items[i]);

    [MethodImpl(HotPath.Optimize)]
    private static int Log2(int value)
    {
        int log = 0;
        while ((value >>= 1) != 0)
        {
            log++;
        }
        return log;
    }
}
