using System;
using System.Buffers;
using System.IO;
using System.Threading;

namespace FineTune.Datasets;

/// <summary>
/// Reads a JSONL stream line by line; the one place where FineTune reads lines, so the one
/// place that enforces the line limit (<see cref="DefaultMaxLineBytes"/>) and Ctrl+C. Skips a
/// UTF-8 byte order mark at the start, strips <c>\r\n</c> and <c>\n</c> line ends, skips
/// blank (whitespace-only) lines, accepts a last line without a newline, and finds invalid
/// UTF-8 in a line when asked (<see cref="InvalidUtf8Index"/>).
/// </summary>
/// <remarks>
/// <para>Usage: <c>while (reader.Read()) { use reader.Line ... }</c>. <see cref="Line"/> is only
/// valid until the next call to <see cref="Read"/>.</para>
/// <para>Memory is bounded by the longest line within the limit, never by the file. A line
/// past the limit is reported as soon as the limit is passed (<see cref="IsTooLong"/>) and is
/// never held: in a seekable file a long line is measured before it is buffered, and its rest
/// is skipped (up to the length the file had then). On an input with no known end (a pipe, a
/// device such as <c>/dev/zero</c>) the rest cannot be found, so reading stops after it
/// (<see cref="StopsAfterLine"/>). Every read from the stream is at most 1 MiB and the
/// cancellation token is checked before each, so a cancelled reader stops within one read.</para>
/// </remarks>
public sealed class JsonlReader : IDisposable
{
    /// <summary>The line limit of every FineTune reader: longer lines are reported (<see cref="IsTooLong"/>), not buffered.</summary>
    public const int DefaultMaxLineBytes = 256 * 1024 * 1024;

    private const int InitialBufferSize = 64 * 1024;
    private const int MaxReadBytes = 1024 * 1024;
    private const int PooledBufferLimit = 1024 * 1024;

    /// <summary>A line still unfinished at this length is measured before the buffer grows for it (seekable files).</summary>
    private const int MeasureThreshold = 1024 * 1024;

    private const int NotChecked = -2;

    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private readonly int _maxLineBytes;
    private readonly CancellationToken _cancellationToken;
    private byte[] _buffer;
    private bool _bufferPooled;
    private int _start;         // first unconsumed byte in _buffer
    private int _end;           // one past the last valid byte in _buffer
    private long _bufferOffset; // stream offset of _buffer[0]
    private bool _eof;
    private bool _atFileStart = true;
    private long _physicalLine;
    private int _lineStart;
    private int _lineLength;
    private bool _skipRest;     // the last line was too long: its rest comes before the next line
    private long _skipUntil;    // never skip past this stream offset (the length when the line was found too long)
    private bool _stopped;
    private int _invalidUtf8Index = -1;

    /// <param name="stream">The input; read sequentially from its current position.</param>
    /// <param name="ownsStream">Dispose <paramref name="stream"/> with the reader.</param>
    /// <param name="maxLineBytes">The line limit; tests lower it, everything else uses <see cref="DefaultMaxLineBytes"/>.</param>
    /// <param name="cancellationToken">Checked before every read from the stream and every line.</param>
    public JsonlReader(Stream stream, bool ownsStream = false, int maxLineBytes = DefaultMaxLineBytes, CancellationToken cancellationToken = default)
    {
        _stream = stream ?? throw new ArgumentNullException(nameof(stream));
        if (maxLineBytes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxLineBytes));
        }
        _ownsStream = ownsStream;
        _maxLineBytes = Math.Min(maxLineBytes, int.MaxValue - 64);
        _cancellationToken = cancellationToken;
        _buffer = Allocate(Math.Min(InitialBufferSize, _maxLineBytes + 1), out _bufferPooled);
    }

    /// <summary>Opens <paramref name="path"/> for sequential reading.</summary>
    public static JsonlReader Open(string path, int maxLineBytes = DefaultMaxLineBytes, CancellationToken cancellationToken = default)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
        return new JsonlReader(stream, ownsStream: true, maxLineBytes, cancellationToken);
    }

    /// <summary>The line limit in bytes (line end excluded).</summary>
    public int MaxLineBytes => _maxLineBytes;

    /// <summary>1-based line number of the current line in the file (blank lines count).</summary>
    public long LineNumber { get; private set; }

    /// <summary>Byte offset in the file of the first byte of the current line.</summary>
    public long ByteOffset { get; private set; }

    /// <summary>Bytes taken from the stream so far (for progress).</summary>
    public long BytesRead => _bufferOffset + _end;

    /// <summary>The current line's bytes without its line end; valid until the next <see cref="Read"/>.</summary>
    public ReadOnlySpan<byte> Line => new(_buffer, _lineStart, _lineLength);

    /// <summary>The current line as memory; valid until the next <see cref="Read"/>.</summary>
    public ReadOnlyMemory<byte> LineMemory => new(_buffer, _lineStart, _lineLength);

    /// <summary>0-based byte index of the first invalid UTF-8 sequence in the current line, or -1 (found when first asked).</summary>
    public int InvalidUtf8Index
    {
        get
        {
            if (_invalidUtf8Index == NotChecked)
            {
                _invalidUtf8Index = IsTooLong ? -1 : Utf8Validation.IndexOfInvalid(Line);
            }
            return _invalidUtf8Index;
        }
    }

    /// <summary>True when the current line is longer than <see cref="MaxLineBytes"/>; <see cref="Line"/> is then empty.</summary>
    public bool IsTooLong { get; private set; }

    /// <summary>
    /// True when the current, too long line has no end that can be found (an endless or
    /// unseekable input): <see cref="Read"/> then returns false, the rest is not read.
    /// </summary>
    public bool StopsAfterLine { get; private set; }

    /// <summary>Length in bytes of the current line; for a line that is too long, the bytes seen before it was reported.</summary>
    public long LineByteCount { get; private set; }

    /// <summary>Whether the last line of the stream ended without a newline (known once <see cref="Read"/> returned false).</summary>
    public bool LastLineUnterminated { get; private set; }

    /// <summary>Number of blank lines skipped so far.</summary>
    public long BlankLines { get; private set; }

    /// <summary>Advances to the next non-blank line; false at the end of the stream.</summary>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public bool Read()
    {
        while (ReadPhysicalLine())
        {
            if (IsTooLong || !IsBlank(Line))
            {
                _invalidUtf8Index = NotChecked;
                return true;
            }
            BlankLines++;
        }
        return false;
    }

    /// <summary>
    /// What every reader says of a line that is too long, as the predicate of "The line ...":
    /// that it passed the limit, and when reading stops there, why.
    /// </summary>
    public string DescribeTooLong() => StopsAfterLine
        ? $"is longer than the {_maxLineBytes:N0}-byte line limit and has no end that can be found (an endless input?), so nothing after it was read"
        : $"is longer than the {_maxLineBytes:N0}-byte line limit";

    private bool ReadPhysicalLine()
    {
        IsTooLong = false;
        StopsAfterLine = false;
        _lineLength = 0;
        if (_stopped || (_skipRest && !SkipRestOfLine()))
        {
            return false;
        }
        _cancellationToken.ThrowIfCancellationRequested();
        int scanFrom = _start;
        while (true)
        {
            int newline = _end > scanFrom ? Array.IndexOf(_buffer, (byte)'\n', scanFrom, _end - scanFrom) : -1;
            if (newline >= 0)
            {
                if (newline - _start > _maxLineBytes)
                {
                    long lineStart = _bufferOffset + _start;
                    int length = newline - _start;
                    _start = newline + 1;
                    return TooLong(lineStart, length, endFound: true);
                }
                SetLine(_start, newline - _start);
                _start = newline + 1;
                return true;
            }
            int pending = _end - _start;
            if (pending > _maxLineBytes)
            {
                return TooLong(_bufferOffset + _start, pending, endFound: false);
            }
            if (_eof)
            {
                if (pending == 0)
                {
                    return false;
                }
                LastLineUnterminated = true;
                SetLine(_start, pending);
                _start = _end;
                return true;
            }
            if (_start == 0 && _end == _buffer.Length)
            {
                long lineStart = _bufferOffset;
                if (!MakeRoom(out long seen, out bool endFound))
                {
                    return TooLong(lineStart, seen, endFound);
                }
            }
            int scanned = _end - _start;
            FillBuffer();
            scanFrom = _start + scanned;
        }
    }

    /// <summary>
    /// The buffer is full with one unfinished line: grows it, after measuring the line on a
    /// seekable file so that a line past the limit is never buffered. False when the line is
    /// too long (<paramref name="seen"/> bytes of it were read; <paramref name="endFound"/>
    /// when the stream is already past its end).
    /// </summary>
    private bool MakeRoom(out long seen, out bool endFound)
    {
        seen = 0;
        endFound = false;
        int capacity = (int)Math.Min((long)_buffer.Length * 2, _maxLineBytes + 1L);
        if (_buffer.Length >= MeasureThreshold && RemainingLength() > 0)
        {
            if (!MeasureLine(out long length, out endFound))
            {
                seen = length;
                return false;
            }
            capacity = (int)Math.Min(length + 1, _maxLineBytes + 1L);
        }
        capacity = Math.Max(capacity, _buffer.Length + 1);
        byte[] bigger = Allocate(capacity, out bool pooled);
        Buffer.BlockCopy(_buffer, 0, bigger, 0, _end);
        Release();
        _buffer = bigger;
        _bufferPooled = pooled;
        return true;
    }

    /// <summary>Bytes left in a seekable stream (its length less its position); null when it cannot tell.</summary>
    private long? RemainingLength()
    {
        try
        {
            return _stream.CanSeek ? _stream.Length - _stream.Position : null;
        }
        catch (Exception ex) when (ex is IOException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>
    /// Reads ahead for the end of the current line (which fills the whole buffer) without
    /// keeping the bytes. True when it is within the limit: the stream is moved back and
    /// <paramref name="length"/> is the line's length. False when it is longer: the buffered
    /// part is dropped, and the stream is left after the line's end when that was found
    /// (<paramref name="endFound"/>), else where the search passed the limit.
    /// </summary>
    private bool MeasureLine(out long length, out bool endFound)
    {
        endFound = false;
        long buffered = _end;
        long ahead = 0;
        byte[] scratch = ArrayPool<byte>.Shared.Rent(MaxReadBytes);
        try
        {
            while (true)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                int read = _stream.Read(scratch, 0, MaxReadBytes);
                int newline = read == 0 ? -1 : Array.IndexOf(scratch, (byte)'\n', 0, read);
                if (read == 0 || newline >= 0)
                {
                    length = buffered + ahead + Math.Max(newline, 0);
                    if (length <= _maxLineBytes)
                    {
                        _stream.Seek(-(ahead + read), SeekOrigin.Current);
                        return true;
                    }
                    endFound = true;
                    if (read == 0)
                    {
                        _eof = true;
                    }
                    else
                    {
                        _stream.Seek(-(read - newline - 1), SeekOrigin.Current);
                    }
                    Discard(BytesRead + ahead + (read == 0 ? 0 : newline + 1));
                    return false;
                }
                ahead += read;
                if (buffered + ahead > _maxLineBytes)
                {
                    length = buffered + ahead;
                    Discard(BytesRead + ahead);
                    return false;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    /// <summary>Drops the buffered bytes; the next byte of the stream is at reader offset <paramref name="offset"/>.</summary>
    private void Discard(long offset)
    {
        _start = _end = 0;
        _bufferOffset = offset;
    }

    /// <summary>
    /// Reports the current line as too long. Unless its end was already passed, its buffered
    /// bytes are dropped and its rest is skipped by the next <see cref="Read"/>, up to the length
    /// the stream has now; an input with no length to go by stops here.
    /// </summary>
    private bool TooLong(long lineStart, long bytesSeen, bool endFound)
    {
        _physicalLine++;
        LineNumber = _physicalLine;
        ByteOffset = lineStart;
        IsTooLong = true;
        LineByteCount = bytesSeen;
        _lineStart = 0;
        _lineLength = 0;
        _atFileStart = false;
        if (endFound)
        {
            return true;
        }
        Discard(BytesRead);
        if (_eof)
        {
            return true;
        }
        long? remaining = RemainingLength();
        if (remaining is null || remaining < 0 || (remaining == 0 && _stream.Length == 0))
        {
            // A pipe, or a device that reports no length (/dev/zero): the end cannot be found.
            StopsAfterLine = true;
            _stopped = true;
            return true;
        }
        _skipRest = true;
        _skipUntil = BytesRead + remaining.Value;
        return true;
    }

    /// <summary>Skips to just after the next newline; false when the input ends (or may not be read further) first.</summary>
    private bool SkipRestOfLine()
    {
        _skipRest = false;
        while (true)
        {
            int newline = _end > _start ? Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start) : -1;
            if (newline >= 0)
            {
                _start = newline + 1;
                return true;
            }
            Discard(BytesRead);
            if (_eof || BytesRead >= _skipUntil)
            {
                _stopped = true; // the end of the file (or of what it held when the line was found too long)
                return false;
            }
            FillBuffer();
        }
    }

    private void SetLine(int start, int length)
    {
        _physicalLine++;
        LineNumber = _physicalLine;
        ByteOffset = _bufferOffset + start;
        if (_atFileStart)
        {
            _atFileStart = false;
            if (length >= 3 && _buffer[start] == 0xEF && _buffer[start + 1] == 0xBB && _buffer[start + 2] == 0xBF)
            {
                start += 3;
                length -= 3;
                ByteOffset += 3;
            }
        }
        if (length > 0 && _buffer[start + length - 1] == (byte)'\r')
        {
            length--;
        }
        _lineStart = start;
        _lineLength = length;
        LineByteCount = length;
    }

    /// <summary>Moves unconsumed bytes to the front and reads at most <see cref="MaxReadBytes"/> more.</summary>
    private void FillBuffer()
    {
        _cancellationToken.ThrowIfCancellationRequested();
        if (_start > 0)
        {
            int pending = _end - _start;
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, pending);
            _bufferOffset += _start;
            _start = 0;
            _end = pending;
        }
        int read = _stream.Read(_buffer, _end, Math.Min(_buffer.Length - _end, MaxReadBytes));
        if (read == 0)
        {
            _eof = true;
        }
        _end += read;
    }

    private static byte[] Allocate(int size, out bool pooled)
    {
        pooled = size <= PooledBufferLimit;
        if (pooled)
        {
            return ArrayPool<byte>.Shared.Rent(size);
        }
#if NET8_0_OR_GREATER
        return GC.AllocateUninitializedArray<byte>(size);
#else
        return new byte[size];
#endif
    }

    private void Release()
    {
        if (_bufferPooled && _buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }
        _buffer = Array.Empty<byte>();
        _bufferPooled = false;
    }

    private static bool IsBlank(ReadOnlySpan<byte> line)
    {
        foreach (byte b in line)
        {
            if (b != (byte)' ' && b != (byte)'\t' && b != (byte)'\r')
            {
                return false;
            }
        }
        return true;
    }

    public void Dispose()
    {
        if (_ownsStream)
        {
            _stream.Dispose();
        }
        Release();
    }
}
