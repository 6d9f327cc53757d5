using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace FineTune.Tests.Service.Fakes;

/// <summary>Passes the first bytes of a response through, then drops the connection.</summary>
internal sealed class CuttingStream : Stream
{
    private readonly Stream _inner;
    private readonly Action _abort;
    private int _left;

    public CuttingStream(Stream inner, int bytes, Action abort)
    {
        _inner = inner;
        _left = bytes;
        _abort = abort;
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override async Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        await WriteAsync(buffer.AsMemory(offset, count), cancellationToken).ConfigureAwait(false);

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_left <= 0)
        {
            throw new IOException("cut");
        }
        int pass = Math.Min(_left, buffer.Length);
        await _inner.WriteAsync(buffer[..pass], cancellationToken).ConfigureAwait(false);
        _left -= pass;
        if (_left <= 0)
        {
            await _inner.FlushAsync(cancellationToken).ConfigureAwait(false);
            await Task.Delay(50, CancellationToken.None).ConfigureAwait(false);
            _abort();
            throw new IOException("cut");
        }
    }

    public override void Flush() => _inner.Flush();
    public override Task FlushAsync(CancellationToken cancellationToken) => _left > 0 ? _inner.FlushAsync(cancellationToken) : Task.CompletedTask;
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
