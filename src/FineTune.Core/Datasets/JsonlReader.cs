using System;
using System.Buffers;
using System.IO;

namespace FineTune.Datasets;

/// <summary>
/// Reads a JSONL stream line by line with pooled buffers: memory is bounded by the longest
/// line, never by the file. Skips a UTF-8 byte order mark at the start, strips <c>\r\n</c>
/// and <c>\n</c> line ends, skips blank (whitespace-only) lines, accepts a last line without
/// a newline, and checks each line for invalid UTF-8.
/// </summary>
/// <remarks>
/// Usage: <c>while (reader.Read()) { use reader.Line ... }</c>. <see cref="Line"/> is only
/// valid until the next call to <see cref="Read"/>.
/// </remarks>
public sealed class JsonlReader : IDisposable
{
    /// <summary>Lines longer than this are reported (<see cref="IsTooLong"/>) and skipped, not buffered.</summary>
    public const int DefaultMaxLineBytes = 256 * 1024 * 1024;

    private const int InitialBufferSize = 64 * 1024;

    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private readonly int _maxLineBytes;
    private byte[] _buffer;
    private int _start;      // first unconsumed byte in _buffer
    private int _end;        // one past the last valid byte in _buffer
    private long _bufferOffset; // file offset of _buffer[0]
    private bool _eof;
    private bool _atFileStart = true;
    private long _physicalLine;
    private int _lineStart;
    private int _lineLength;

    public JsonlReader(Stream stream, bool ownsStream = false, int maxLineBytes = DefaultMaxLineBytes)
    {
        _stream = stream ?? throw new ArgumentNullException(nameof(stream));
        _ownsStream = ownsStream;
        _maxLineBytes = maxLineBytes;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Min(InitialBufferSize, Math.Max(16, maxLineBytes + 2)));
    }

    /// <summary>Opens <paramref name="path"/> for sequential reading.</summary>
    public static JsonlReader Open(string path, int maxLineBytes = DefaultMaxLineBytes)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        return new JsonlReader(stream, ownsStream: true, maxLineBytes);
    }

    /// <summary>1-based line number of the current line in the file (blank lines count).</summary>
    public long LineNumber { get; private set; }

    /// <summary>Byte offset in the file of the first byte of the current line.</summary>
    public long ByteOffset { get; private set; }

    /// <summary>The current line's bytes without its line end; valid until the next <see cref="Read"/>.</summary>
    public ReadOnlySpan<byte> Line => new(_buffer, _lineStart, _lineLength);

    /// <summary>The current line as memory; valid until the next <see cref="Read"/>.</summary>
    public ReadOnlyMemory<byte> LineMemory => new(_buffer, _lineStart, _lineLength);

    /// <summary>0-based byte index of the first invalid UTF-8 sequence in the current line, or -1.</summary>
    public int InvalidUtf8Index { get; private set; } = -1;

    /// <summary>True when the current line exceeded the maximum length; <see cref="Line"/> is then empty.</summary>
    public bool IsTooLong { get; private set; }

    /// <summary>Length in bytes of the current line (also when it was too long to buffer).</summary>
    public long LineByteCount { get; private set; }

    /// <summary>Whether the last line of the stream ended without a newline (known once <see cref="Read"/> returned false).</summary>
    public bool LastLineUnterminated { get; private set; }

    /// <summary>Number of blank lines skipped so far.</summary>
    public long BlankLines { get; private set; }

    /// <summary>Advances to the next non-blank line; false at the end of the stream.</summary>
    public bool Read()
    {
        while (ReadPhysicalLine())
        {
            if (IsTooLong || !IsBlank(Line))
            {
                InvalidUtf8Index = IsTooLong ? -1 : Utf8Validation.IndexOfInvalid(Line);
                return true;
            }
            BlankLines++;
        }
        return false;
    }

    private bool ReadPhysicalLine()
    {
        IsTooLong = false;
        long discarded = 0;
        int scanFrom = _start;
        while (true)
        {
            int newline = _end > scanFrom ? Array.IndexOf(_buffer, (byte)'\n', scanFrom, _end - scanFrom) : -1;
            if (newline >= 0)
            {
                SetLine(_start, newline - _start, discarded);
                _start = newline + 1;
                return true;
            }
            if (_eof)
            {
                if (_end == _start && discarded == 0)
                {
                    return false;
                }
                LastLineUnterminated = true;
                SetLine(_start, _end - _start, discarded);
                _start = _end;
                return true;
            }
            if (discarded > 0 || _end - _start > _maxLineBytes)
            {
                // The line is longer than allowed: count it, drop what is buffered and go on scanning.
                if (discarded == 0)
                {
                    ByteOffset = _bufferOffset + _start;
                }
                discarded += _end - _start;
                _bufferOffset += _end;
                _start = _end = 0;
                scanFrom = 0;
                FillBuffer();
                continue;
            }
            scanFrom = _end;
            int scanned = scanFrom - _start;
            FillBuffer();
            scanFrom = _start + scanned;
        }
    }

    private void SetLine(int start, int length, long discarded)
    {
        _physicalLine++;
        LineNumber = _physicalLine;
        if (discarded > 0)
        {
            IsTooLong = true;
            LineByteCount = discarded + length;
            _lineStart = start;
            _lineLength = 0;
            return;
        }
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

    /// <summary>Moves unconsumed bytes to the front, grows the buffer when full, and reads more.</summary>
    private void FillBuffer()
    {
        if (_start > 0)
        {
            int pending = _end - _start;
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, pending);
            _bufferOffset += _start;
            _start = 0;
            _end = pending;
        }
        if (_end == _buffer.Length)
        {
            int size = (int)Math.Min((long)_buffer.Length * 2, Math.Max((long)_maxLineBytes + 2, _buffer.Length + 1L));
            byte[] bigger = ArrayPool<byte>.Shared.Rent(size);
            Buffer.BlockCopy(_buffer, 0, bigger, 0, _end);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }
        int read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _eof = true;
        }
        _end += read;
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
        byte[] buffer = _buffer;
        _buffer = Array.Empty<byte>();
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
