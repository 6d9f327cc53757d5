using System;
using System.IO;
using System.Text.Json;

namespace FineTune.Datasets;

/// <summary>
/// Writes one compact JSON value per line (<c>\n</c>, UTF-8, without a byte order mark unless
/// asked: Azure OpenAI's documentation asks for one) through an <see cref="AtomicFileWriter"/>. A record that cannot be serialized throws before any of
/// its bytes reach the file, so the file never holds half a record.
/// </summary>
public sealed class JsonlWriter : IDisposable
{
    private readonly AtomicFileWriter _file;
    private readonly JsonGraphWriter _graph;
    private readonly MemoryStream _record = new();
    private readonly Utf8JsonWriter _json;
    private readonly Stream _output;

    /// <param name="file">Where the lines go.</param>
    /// <param name="reader">Reads the properties of objects that are not JSON already.</param>
    /// <param name="byteOrderMark">Starts an empty file with the UTF-8 byte order mark (EF BB BF); a file appended to keeps what it has.</param>
    public JsonlWriter(AtomicFileWriter file, IJsonPropertyReader? reader = null, bool byteOrderMark = false)
    {
        _file = file;
        _graph = new JsonGraphWriter(reader);
        _json = JsonGraphWriter.CreateUtf8Writer(_record);
        _output = new BufferedStream(file.Stream, 256 * 1024);
        bool empty = !file.Stream.CanSeek || file.Stream.Length == 0;
        if (empty && byteOrderMark)
        {
            _output.Write(Utf8ByteOrderMark, 0, Utf8ByteOrderMark.Length);
        }
        if (!empty && !EndsWithNewline(file.Stream))
        {
            _output.WriteByte((byte)'\n'); // appending to a file whose last line has no line end
        }
    }

    private static readonly byte[] Utf8ByteOrderMark = { 0xEF, 0xBB, 0xBF };

    public static JsonlWriter Open(string path, FileWriteMode mode, bool force = false, IJsonPropertyReader? reader = null, bool byteOrderMark = false)
    {
        AtomicFileWriter file = AtomicFileWriter.Open(path, mode, force);
        try
        {
            return new JsonlWriter(file, reader, byteOrderMark);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public string TargetPath => _file.TargetPath;

    public long RecordCount { get; private set; }

    /// <summary>Serializes <paramref name="value"/> and appends it as one line.</summary>
    public void WriteRecord(object? value)
    {
        _record.SetLength(0);
        _json.Reset(_record);
        try
        {
            _graph.Write(_json, value);
            _json.Flush();
        }
        catch (ArgumentException ex)
        {
            throw new FineTuneException("FineTune.Dataset.NotSerializable", FailureKind.InvalidData,
                $"Record {RecordCount + 1} cannot be written as JSON: {ex.Message}", value, "Fix or remove the value; text must be valid Unicode.", ex);
        }
        _output.Write(_record.GetBuffer(), 0, (int)_record.Length);
        _output.WriteByte((byte)'\n');
        RecordCount++;
    }

    /// <summary>Writes a line that is already JSON (used by the splitter to copy lines verbatim).</summary>
    public void WriteRawLine(ReadOnlySpan<byte> line)
    {
#if NET8_0_OR_GREATER
        _output.Write(line);
#else
        byte[] copy = line.ToArray();
        _output.Write(copy, 0, copy.Length);
#endif
        _output.WriteByte((byte)'\n');
        RecordCount++;
    }

    public void Commit()
    {
        _output.Flush();
        _file.Commit();
    }

    public void Dispose()
    {
        _json.Dispose();
        _record.Dispose();
        _file.Dispose();
    }

    private static bool EndsWithNewline(Stream stream)
    {
        using var reader = new FileStream(((FileStream)stream).Name, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        reader.Seek(-1, SeekOrigin.End);
        return reader.ReadByte() == '\n';
    }
}
