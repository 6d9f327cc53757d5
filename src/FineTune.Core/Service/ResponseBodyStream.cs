using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace FineTune.Service;

/// <summary>
/// A response body as the client reads it: each read must bring data within the stall timeout
/// (the connection's timeout, as "no progress for that long"), and at most
/// <see cref="MaxBytes"/> bytes are accepted. A stall throws <see cref="BodyStalledException"/>,
/// an over-long body <see cref="BodyTooLargeException"/>; the caller turns them into service
/// errors that name the request. Cancellation (Ctrl+C) ends a read at once.
/// </summary>
internal sealed class ResponseBodyStream : Stream
{
    private readonly Stream _inner;
    private readonly TimeSpan _stallTimeout;
    private readonly CancellationToken _cancellationToken;

    public ResponseBodyStream(Stream inner, TimeSpan stallTimeout, long? maxBytes, CancellationToken cancellationToken)
    {
        _inner = inner;
        _stallTimeout = stallTimeout;
        MaxBytes = maxBytes;
        _cancellationToken = cancellationToken;
    }

    /// <summary>The most bytes this body may have (null: no limit, for downloads to disk).</summary>
    public long? MaxBytes { get; }

    /// <summary>Bytes read so far.</summary>
    public long BytesRead { get; private set; }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _cancellationToken);
        if (_stallTimeout != Timeout.InfiniteTimeSpan)
        {
            linked.CancelAfter(_stallTimeout);
        }
        int read;
        // Disposing the body on cancellation also ends a read on a stack that ignores the token.
        using (linked.Token.Register(static state => ((Stream)state!).Dispose(), _inner))
        {
            try
            {
                read = await ReadInnerAsync(buffer, offset, count, linked.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (linked.IsCancellationRequested && ex is OperationCanceledException or ObjectDisposedException or IOException)
            {
                cancellationToken.ThrowIfCancellationRequested();
                _cancellationToken.ThrowIfCancellationRequested();
                throw new BodyStalledException(BytesRead, _stallTimeout, ex);
            }
        }
        BytesRead += read;
        if (MaxBytes is long max && BytesRead > max)
        {
            throw new BodyTooLargeException(max);
        }
        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }
        base.Dispose(disposing);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private Task<int> ReadInnerAsync(byte[] buffer, int offset, int count, CancellationToken token)
    {
        if (MaxBytes is long max)
        {
            // Never ask for more than one byte past the limit: enough to see it is exceeded.
            long room = max - BytesRead + 1;
            count = (int)Math.Min(count, Math.Max(room, 1));
        }
        return _inner.ReadAsync(buffer, offset, count, token);
    }
}

/// <summary>No byte of the body arrived within the stall timeout.</summary>
internal sealed class BodyStalledException : IOException
{
    public BodyStalledException(long bytesRead, TimeSpan timeout, Exception inner)
        : base($"no data arrived for {timeout.TotalSeconds:0.#} s after {bytesRead} bytes of the answer", inner)
    {
        BytesRead = bytesRead;
    }

    public long BytesRead { get; }
}

/// <summary>The body is longer than the reader accepts.</summary>
internal sealed class BodyTooLargeException : IOException
{
    public BodyTooLargeException(long maxBytes)
        : base($"the answer is larger than {maxBytes} bytes")
    {
        MaxBytes = maxBytes;
    }

    public long MaxBytes { get; }
}
