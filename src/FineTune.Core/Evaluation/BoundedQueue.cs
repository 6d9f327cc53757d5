using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace FineTune.Evaluation;

/// <summary>
/// A queue with room for a fixed number of items between one producer and one async consumer:
/// <see cref="AddAsync"/> waits while it is full, <see cref="ReadAllAsync"/> waits while it is
/// empty and ends after <see cref="Complete"/>. Feeds pipeline input to a running comparison.
/// </summary>
public sealed class BoundedQueue<T> : IDisposable
{
    private readonly Queue<T> _items = new();
    private readonly SemaphoreSlim _space;
    private readonly SemaphoreSlim _available = new(0);
    private bool _completed;

    public BoundedQueue(int capacity)
    {
        if (capacity < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity));
        }
        _space = new SemaphoreSlim(capacity);
    }

    public async Task AddAsync(T item, CancellationToken cancellationToken)
    {
        await _space.WaitAsync(cancellationToken).ConfigureAwait(false);
        lock (_items)
        {
            if (_completed)
            {
                throw new InvalidOperationException("The queue was completed.");
            }
            _items.Enqueue(item);
        }
        _available.Release();
    }

    /// <summary>No more items will come; the reader ends once it has the queued ones.</summary>
    public void Complete()
    {
        lock (_items)
        {
            if (_completed)
            {
                return;
            }
            _completed = true;
        }
        _available.Release();
    }

    public async IAsyncEnumerable<T> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (true)
        {
            await _available.WaitAsync(cancellationToken).ConfigureAwait(false);
            T item;
            lock (_items)
            {
                if (_items.Count == 0)
                {
                    yield break; // the release of Complete
                }
                item = _items.Dequeue();
            }
            _space.Release();
            yield return item;
        }
    }

    public void Dispose()
    {
        _space.Dispose();
        _available.Dispose();
    }
}
