using System;
using System.IO;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace FineTune.Service.Files;

/// <summary>
/// A read-only window onto part of a file on disk, read in small buffers so memory does not
/// depend on the file's size; reports how far it has read and feeds an optional checksum.
/// </summary>
internal sealed class FileSliceStream : Stream
{
    private readonly FileStream _file;
    private readonly long _offset;
    private readonly long _length;
    private readonly Action<long>? _progress;
    private readonly RunningMd5? _md5;
    private long _position;

    public FileSliceStream(string path, long offset, long length, Action<long>? progress = null, RunningMd5? md5 = null)
    {
        _file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
        if (offset + length > _file.Length)
        {
            long actual = _file.Length;
            _file.Dispose();
            throw new FineTuneException(ServiceErrorIds.UploadFailed, FailureKind.ReadError,
                $"'{path}' is {actual} bytes long now; it changed while it was being uploaded.", path, "Upload the file again once nothing writes to it.");
        }
        _file.Position = offset;
        _offset = offset;
        _length = length;
        _progress = progress;
        _md5 = md5;
    }

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        int n = _file.Read(buffer, offset, Limit(count));
        return Advance(buffer, offset, n);
    }

#if NET8_0_OR_GREATER
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // Completes synchronously when the file read does, and pools the state machine otherwise, so
    // streaming a file allocates nothing per buffer.
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Memory<byte> window = buffer.Slice(0, Limit(buffer.Length));
        ValueTask<int> pending = _file.ReadAsync(window, cancellationToken);
        return pending.IsCompletedSuccessfully ? new ValueTask<int>(Advance(window.Span, pending.Result)) : AwaitRead(pending, window);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> AwaitRead(ValueTask<int> pending, Memory<byte> window)
    {
        int read = await pending.ConfigureAwait(false);
        return Advance(window.Span, read);
    }

    private int Advance(ReadOnlySpan<byte> window, int read)
    {
        if (read > 0)
        {
            _md5?.Observe(_offset + _position, window.Slice(0, read));
            _position += read;
            _progress?.Invoke(_position);
        }
        return read;
    }
#else
    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        int n = await _file.ReadAsync(buffer, offset, Limit(count), cancellationToken).ConfigureAwait(false);
        return Advance(buffer, offset, n);
    }
#endif

    public override long Seek(long offset, SeekOrigin origin)
    {
        long target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => _length + offset,
        };
        if (target < 0 || target > _length)
        {
            throw new ArgumentOutOfRangeException(nameof(offset));
        }
        _file.Position = _offset + target;
        _position = target;
        _progress?.Invoke(_position);
        return _position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _file.Dispose();
        }
        base.Dispose(disposing);
    }

    private int Limit(int count) => (int)Math.Min(count, _length - _position);

    private int Advance(byte[] buffer, int offset, int read)
    {
        if (read > 0)
        {
            _md5?.Observe(_offset + _position, buffer, offset, read);
            _position += read;
            _progress?.Invoke(_position);
        }
        return read;
    }
}
