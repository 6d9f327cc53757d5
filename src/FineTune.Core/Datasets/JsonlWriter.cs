using System;
using System.IO;
using System.Text.Json;

namespace FineTune.Datasets;

/// <summary>
/// Writes one compact JSON value per line (<c>\n</c>, UTF-8, without a byte order mark
/// unless asked: Azure OpenAI's documentation asks for one) through an
/// <see cref="AtomicFileWriter"/>. Records collect in a buffer that goes to the file in chunks
/// of whole lines, so the file never holds half a record: a record that cannot be serialized
/// leaves no byte, and when appending, a write that fails (a full disk) or an export that is
/// abandoned leaves the file ending with its last whole line.
/// </summary>
public sealed class JsonlWriter : IDisposable
{
    private const int ChunkBytes = 256 * 1024;

    private readonly AtomicFileWriter _file;
    private readonly JsonGraphWriter _graph;
    private readonly Utf8JsonWriter _json;
    private MemoryStream _pending = new();
    private bool _done;

    /// <param name="file">Where the lines go.</param>
    /// <param name="reader">Reads the properties of objects that are not JSON already.</param>
    /// <param name="byteOrderMark">Starts an empty file with the UTF-8 byte order mark (EF BB BF); a file appended to keeps what it has.</param>
    public JsonlWriter(AtomicFileWriter file, IJsonPropertyReader? reader = null, bool byteOrderMark = false)
    {
        _file = file;
        _graph = new JsonGraphWriter(reader);
        _json = JsonGraphWriter.CreateUtf8Writer(_pending);
        bool empty = !file.Appending || file.Stream.Length == 0;
        if (empty && byteOrderMark)
        {
            _pending.Write(Utf8ByteOrderMark, 0, Utf8ByteOrderMark.Length);
        }
        if (!empty && !EndsWithNewline(file.TargetPath))
        {
            _pending.WriteByte((byte)'\n'); // appending to a file whose last line has no line end
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
    /// <exception cref="FineTuneException">The value cannot be written (nothing of it is), or the file cannot (<c>FineTune.Path.WriteFailed</c>).</exception>
    public void WriteRecord(object? value)
    {
        long before = _pending.Length;
        try
        {
            _json.Reset(_pending);
            _graph.Write(_json, value);
            _json.Flush();
        }
        catch (ArgumentException ex)
        {
            Discard(before);
            throw new FineTuneException("FineTune.Dataset.NotSerializable", FailureKind.InvalidData,
                $"Record {RecordCount + 1} cannot be written as JSON: {ex.Message}", value, "Fix or remove the value; text must be valid Unicode.", ex);
        }
        catch
        {
            Discard(before);
            throw;
        }
        EndLine();
    }

    /// <summary>Writes a line that is already JSON (used by the splitter to copy lines verbatim).</summary>
    public void WriteRawLine(ReadOnlySpan<byte> line)
    {
#if NET8_0_OR_GREATER
        _pending.Write(line);
#else
        byte[] copy = line.ToArray();
        _pending.Write(copy, 0, copy.Length);
#endif
        EndLine();
    }

    public void Commit()
    {
        WritePending();
        _done = true;
        _file.Commit();
    }

    /// <summary>Commits two writers so that both files change together (see <see cref="AtomicFileWriter.CommitTogether"/>).</summary>
    public static void CommitTogether(JsonlWriter first, JsonlWriter second)
    {
        first.WritePending();
        second.WritePending();
        first._done = second._done = true;
        AtomicFileWriter.CommitTogether(first._file, second._file);
    }

    /// <summary>Without a commit: an overwrite leaves the target untouched; an append keeps the whole lines written.</summary>
    public void Dispose()
    {
        try
        {
            if (!_done && _file.Appending)
            {
                _done = true;
                WritePending();
            }
        }
        catch (FineTuneException)
        {
            // The append was cut back to its last whole line; nothing more can be done here.
        }
        finally
        {
            _json.Dispose();
            _file.Dispose();
        }
    }

    private void EndLine()
    {
        _pending.WriteByte((byte)'\n');
        RecordCount++;
        if (_pending.Length >= ChunkBytes)
        {
            WritePending();
        }
    }

    private void WritePending()
    {
        if (_pending.Length > 0)
        {
            _file.Stream.Write(_pending.GetBuffer(), 0, (int)_pending.Length);
            _file.MarkWhole();
        }
        if (_pending.Capacity > 4 * ChunkBytes)
        {
            _pending = new MemoryStream(); // let a giant record's buffer go
        }
        _pending.SetLength(0);
    }

    private void Discard(long length)
    {
        _json.Reset(_pending);
        _pending.SetLength(length);
        _pending.Position = length;
    }

    private static bool EndsWithNewline(string path)
    {
        // The append handle is write-only: the last byte is read through a handle of its own.
        using var reader = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        reader.Seek(-1, SeekOrigin.End);
        return reader.ReadByte() == '\n';
    }
}
