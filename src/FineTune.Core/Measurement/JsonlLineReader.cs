using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Threading;

namespace FineTune.Measurement;

/// <summary>One non-blank line of a JSONL file: its 1-based number and its bytes (no line break).</summary>
internal readonly struct JsonlLine
{
    public JsonlLine(long number, byte[] bytes)
    {
        Number = number;
        Bytes = bytes;
    }

    public long Number { get; }

    public byte[] Bytes { get; }
}

/// <summary>
/// Streams the lines of a UTF-8 JSONL file with constant memory: splits on <c>\n</c>, drops a
/// trailing <c>\r</c>, a leading UTF-8 BOM and blank lines, and reports how many bytes it has
/// read. Deliberately minimal; the dataset cmdlets' shared reader can replace it.
/// </summary>
internal static class JsonlLineReader
{
    private const int BufferSize = 1 << 16;

    public static IEnumerable<JsonlLine> Read(Stream stream, Action<long>? bytesRead, CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        var pending = new MemoryStream();
        long number = 0;
        long consumed = 0;
        bool first = true;
        try
        {
            int read;
            while ((read = stream.Read(buffer, 0, BufferSize)) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                consumed += read;
                int start = 0;
                if (first)
                {
                    first = false;
                    if (read >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF)
                    {
                        start = 3;
                    }
                }
                while (true)
                {
                    int newLine = Array.IndexOf(buffer, (byte)'\n', start, read - start);
                    if (newLine < 0)
                    {
                        pending.Write(buffer, start, read - start);
                        break;
                    }
                    pending.Write(buffer, start, newLine - start);
                    number++;
                    byte[]? line = TakeLine(pending);
                    if (line is not null)
                    {
                        yield return new JsonlLine(number, line);
                    }
                    start = newLine + 1;
                }
                bytesRead?.Invoke(consumed);
            }
            if (pending.Length > 0)
            {
                number++;
                byte[]? line = TakeLine(pending);
                if (line is not null)
                {
                    yield return new JsonlLine(number, line);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static byte[]? TakeLine(MemoryStream pending)
    {
        byte[] data = pending.GetBuffer();
        int length = (int)pending.Length;
        pending.SetLength(0);
        if (length > 0 && data[length - 1] == '\r')
        {
            length--;
        }
        int start = 0;
        while (start < length && data[start] is (byte)' ' or (byte)'\t' or (byte)'\r')
        {
            start++;
        }
        if (start == length)
        {
            return null;
        }
        var line = new byte[length];
        Buffer.BlockCopy(data, 0, line, 0, length);
        return line;
    }
}
