using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace FineTune.Datasets;

/// <summary>How <see cref="AtomicFileWriter"/> treats an existing target file.</summary>
public enum FileWriteMode
{
    /// <summary>Replace the target when the writer commits.</summary>
    Overwrite,

    /// <summary>Fail when the target exists (at open and again at commit).</summary>
    NoClobber,

    /// <summary>
    /// Write at the end of the target in place: not atomic, but the file only ever grows by the
    /// whole records marked with <see cref="AtomicFileWriter.MarkWhole"/>; a failure or an
    /// abandoned write cuts it back to the last of them.
    /// </summary>
    Append,
}

/// <summary>
/// Every file FineTune writes goes through here. Writes atomically: everything goes to a hidden
/// temporary file beside the target (<c>.NAME.&lt;12 hex&gt;.tmp</c>), which <see cref="Commit"/>
/// renames over it. Disposing without committing deletes the temporary file and leaves an
/// existing target untouched, also when the disk is full; the abandoned temporary files of
/// a killed process are deleted by the next write to the same target. Every I/O failure is a
/// <see cref="FineTuneException"/> <c>FineTune.Path.WriteFailed</c> naming the target.
/// <see cref="FileWriteMode.Append"/> writes the target in place.
/// </summary>
public sealed class AtomicFileWriter : IDisposable
{
    /// <summary>The error id of every failed write.</summary>
    public const string WriteFailedId = "FineTune.Path.WriteFailed";

    private const string TemporarySuffix = ".tmp";
    private const int TemporaryHexDigits = 12;

    private readonly FileStream _file;
    private readonly Stream _sink; // _file, or a test's fault injector around it
    private readonly GuardedStream _guarded;
    private readonly string? _tempPath;
    private readonly FileWriteMode _mode;
    private readonly bool _force;
    private long _wholeLength; // append mode: the file's length at its last whole record
    private bool _sealed;
    private bool _committed;
    private bool _disposed;

    private AtomicFileWriter(string path, string? tempPath, FileStream file, FileWriteMode mode, bool force, Func<Stream, Stream>? faults)
    {
        TargetPath = path;
        _tempPath = tempPath;
        _file = file;
        _sink = faults?.Invoke(file) ?? file;
        _mode = mode;
        _force = force;
        _wholeLength = mode == FileWriteMode.Append ? file.Length : 0;
        _guarded = new GuardedStream(this);
    }

    /// <summary>The file that exists after <see cref="Commit"/>.</summary>
    public string TargetPath { get; }

    /// <summary>Where the bytes go until <see cref="Commit"/> (the target itself in append mode).</summary>
    public string WritingPath => _tempPath ?? TargetPath;

    /// <summary>
    /// The stream to write; unbuffered (callers write whole chunks), and its failures are
    /// <c>FineTune.Path.WriteFailed</c> errors.
    /// </summary>
    public Stream Stream => _guarded;

    /// <summary>Whether the writer appends to the target in place.</summary>
    public bool Appending => _mode == FileWriteMode.Append;

    /// <summary>
    /// Opens a writer for <paramref name="path"/>. With <paramref name="force"/>, a read-only
    /// target is replaced too; without it that is an error. Abandoned temporary files of the
    /// same target (left by a killed process) are deleted first.
    /// </summary>
    public static AtomicFileWriter Open(string path, FileWriteMode mode, bool force = false) => Open(path, mode, force, faults: null);

    /// <summary>As <see cref="Open(string, FileWriteMode, bool)"/>; tests pass <paramref name="faults"/> to wrap the file in a stream that fails like a full disk.</summary>
    internal static AtomicFileWriter Open(string path, FileWriteMode mode, bool force, Func<Stream, Stream>? faults)
    {
        path = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(path) ?? ".";
        if (!Directory.Exists(directory))
        {
            throw new FineTuneException("FineTune.File.DirectoryNotFound", FailureKind.ObjectNotFound,
                $"Cannot write '{path}': the folder '{directory}' does not exist.", path, "Create the folder first or choose another path.");
        }
        var existing = new FileInfo(path);
        if (existing.Exists)
        {
            if (mode == FileWriteMode.NoClobber)
            {
                throw FileExists(path);
            }
            if (existing.IsReadOnly && !force)
            {
                throw new FineTuneException("FineTune.File.FileReadOnly", FailureKind.PermissionDenied,
                    $"Cannot write '{path}': the file is read-only.", path, "Use -Force to replace a read-only file, or choose another path.");
            }
        }
        else if (Directory.Exists(path))
        {
            throw new FineTuneException("FineTune.File.PathIsDirectory", FailureKind.InvalidArgument,
                $"Cannot write '{path}': it is a folder.", path, "Give a file name.");
        }
        DeleteAbandonedTemporaryFiles(path);
        string? tempPath = null;
        try
        {
            if (mode == FileWriteMode.Append)
            {
                var appending = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, 1);
                return new AtomicFileWriter(path, null, appending, mode, force, faults);
            }
            tempPath = Path.Combine(directory, TemporaryName(Path.GetFileName(path)));
            var temp = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1);
            return new AtomicFileWriter(path, tempPath, temp, mode, force, faults);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            if (tempPath is not null)
            {
                TryDelete(tempPath);
            }
            throw WriteFailed(path, ex, mode);
        }
    }

    /// <summary>
    /// Append mode: everything written so far ends with a whole record. A later failure, or
    /// disposing without <see cref="Commit"/>, cuts the file back to here. (No-op otherwise.)
    /// </summary>
    public void MarkWhole()
    {
        if (_mode == FileWriteMode.Append)
        {
            _wholeLength = _file.Length;
        }
    }

    /// <summary>Flushes to disk and, unless appending, renames the temporary file over the target.</summary>
    public void Commit()
    {
        if (_committed || _disposed)
        {
            throw new InvalidOperationException("The writer was already committed or disposed.");
        }
        try
        {
            Seal();
            Publish();
        }
        finally
        {
            Dispose();
        }
    }

    /// <summary>
    /// Commits two writers so that their targets change together: both are flushed to disk,
    /// then a journal naming both renames is written beside the first target, then both are
    /// renamed and the journal is deleted. A process killed between the two renames leaves the
    /// journal, and <see cref="CompleteInterruptedPair"/> (run by the next write of the pair)
    /// finishes the second rename, so the pair is never left half old, half new after that.
    /// </summary>
    public static void CommitTogether(AtomicFileWriter first, AtomicFileWriter second)
    {
        if (first._tempPath is null || second._tempPath is null)
        {
            throw new InvalidOperationException("Only replacing writers can be committed together.");
        }
        try
        {
            first.Seal();
            second.Seal();
            string journal = JournalPath(first.TargetPath);
            PairJournal.Write(journal, new[] { (first._tempPath, first.TargetPath), (second._tempPath, second.TargetPath) });
            first.Publish();
            second.Publish();
            TryDelete(journal);
        }
        finally
        {
            first.Dispose();
            second.Dispose();
        }
    }

    /// <summary>
    /// Finishes a <see cref="CommitTogether"/> that a killed process left half done for the pair
    /// whose first target is <paramref name="firstTarget"/>: the renames still pending are
    /// done, then the journal is deleted. True when there was one to finish.
    /// </summary>
    public static bool CompleteInterruptedPair(string firstTarget)
    {
        firstTarget = Path.GetFullPath(firstTarget);
        string journal = JournalPath(firstTarget);
        if (!File.Exists(journal))
        {
            return false;
        }
        foreach ((string from, string to) in PairJournal.Read(journal))
        {
            // Only ever a target's own temporary file over it, whatever the journal says.
            if (IsTemporaryFileOf(from, to) && File.Exists(from))
            {
                try
                {
                    ReplaceFile(from, to, force: true);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    throw WriteFailed(to, ex, FileWriteMode.Overwrite);
                }
            }
        }
        TryDelete(journal);
        return true;
    }

    /// <summary>Flushes the bytes to disk and closes the file; the rename is left to <see cref="Publish"/>.</summary>
    private void Seal()
    {
        if (_sealed)
        {
            return;
        }
        try
        {
            _file.Flush(flushToDisk: true);
            _file.Dispose();
            _sealed = true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw WriteFailed(TargetPath, ex, _mode);
        }
    }

    private void Publish()
    {
        try
        {
            if (_tempPath is not null)
            {
                if (_mode == FileWriteMode.NoClobber)
                {
                    File.Move(_tempPath, TargetPath); // fails if the target appeared meanwhile
                }
                else
                {
                    ReplaceFile(_tempPath, TargetPath, _force);
                }
            }
            _committed = true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            if (_mode == FileWriteMode.NoClobber && File.Exists(TargetPath))
            {
                throw FileExists(TargetPath);
            }
            throw WriteFailed(TargetPath, ex, _mode);
        }
    }

    /// <summary>Renames <paramref name="source"/> over <paramref name="target"/>; with <paramref name="force"/> a read-only target too.</summary>
    private static void ReplaceFile(string source, string target, bool force)
    {
        var existing = new FileInfo(target);
        bool wasReadOnly = force && existing.Exists && existing.IsReadOnly;
        if (wasReadOnly)
        {
            existing.IsReadOnly = false; // Windows refuses to replace a read-only file
        }
        try
        {
#if NET8_0_OR_GREATER
            File.Move(source, target, overwrite: true);
#else
            if (File.Exists(target))
            {
                File.Replace(source, target, null);
            }
            else
            {
                File.Move(source, target);
            }
#endif
        }
        catch
        {
            if (wasReadOnly)
            {
                existing.Refresh();
                if (existing.Exists)
                {
                    existing.IsReadOnly = true; // the old file stays as it was
                }
            }
            throw;
        }
    }

    /// <summary>Without a commit: deletes the temporary file (an existing target is untouched), or cuts an append back to its last whole record.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        if (_committed)
        {
            return;
        }
        if (_mode == FileWriteMode.Append)
        {
            if (!_sealed)
            {
                RestoreWholeLength();
                DisposeQuietly(_file);
            }
            return;
        }
        DisposeQuietly(_file); // the file is unbuffered: nothing is left to flush, so a full disk cannot fail this
        TryDelete(_tempPath!);
    }

    /// <summary>Append mode: cuts off whatever follows the last whole record; true when the file now ends there.</summary>
    private bool RestoreWholeLength()
    {
        try
        {
            if (_file.Length != _wholeLength)
            {
                _file.SetLength(_wholeLength);
            }
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            return false;
        }
    }

    private FineTuneException Failed(Exception ex)
    {
        if (_mode != FileWriteMode.Append)
        {
            return WriteFailed(TargetPath, ex, _mode);
        }
        bool restored = RestoreWholeLength();
        return new FineTuneException(WriteFailedId, FailureKind.WriteError,
            $"Cannot append to '{TargetPath}': {ex.Message} " + (restored
                ? "The file was cut back to the end of its last whole line."
                : $"The file could not be cut back to its last whole line ({_wholeLength:N0} bytes); check its end."),
            TargetPath, "Free space on the disk (or check the folder's permissions) and append the rest again.", ex);
    }

    private static FineTuneException WriteFailed(string path, Exception ex, FileWriteMode mode) =>
        new(WriteFailedId, FailureKind.WriteError,
            $"Cannot write '{path}': {ex.Message}" + (mode == FileWriteMode.Append ? string.Empty : $" '{Path.GetFileName(path)}' was not changed."),
            path, "Check the folder's permissions and free space.", ex);

    private static FineTuneException FileExists(string path) =>
        new("FineTune.File.FileExists", FailureKind.ResourceExists,
            $"The file '{path}' already exists and -NoClobber was given.", path, "Choose another path, or omit -NoClobber to replace it.");

    private static string TemporaryName(string fileName) =>
        "." + fileName + "." + Guid.NewGuid().ToString("N").Substring(0, TemporaryHexDigits) + TemporarySuffix;

    private static string JournalPath(string firstTarget) =>
        Path.Combine(Path.GetDirectoryName(firstTarget)!, "." + Path.GetFileName(firstTarget) + ".pair");

    /// <summary>
    /// Deletes the temporary files of <paramref name="target"/> that no live writer holds: a
    /// writer keeps its temporary file open exclusively (on Unix with an advisory lock that
    /// ends with its process), so what can be opened exclusively was abandoned.
    /// </summary>
    private static void DeleteAbandonedTemporaryFiles(string target)
    {
        string directory = Path.GetDirectoryName(target)!;
        string prefix = "." + Path.GetFileName(target) + ".";
        string pattern = prefix.IndexOfAny(new[] { '*', '?' }) >= 0 ? "*" + TemporarySuffix : prefix + "*" + TemporarySuffix;
        List<string> candidates;
        try
        {
            candidates = Directory.EnumerateFiles(directory, pattern).Where(file => IsTemporaryName(Path.GetFileName(file), prefix)).ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return;
        }
        foreach (string candidate in candidates)
        {
            try
            {
                using (new FileStream(candidate, FileMode.Open, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose))
                {
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // In use by a live writer, or not ours to delete.
            }
        }
    }

    private static bool IsTemporaryFileOf(string candidate, string target) =>
        string.Equals(Path.GetDirectoryName(Path.GetFullPath(candidate)), Path.GetDirectoryName(Path.GetFullPath(target)), StringComparison.Ordinal)
        && IsTemporaryName(Path.GetFileName(candidate), "." + Path.GetFileName(target) + ".");

    private static bool IsTemporaryName(string name, string prefix)
    {
        if (name.Length != prefix.Length + TemporaryHexDigits + TemporarySuffix.Length
            || !name.StartsWith(prefix, StringComparison.Ordinal) || !name.EndsWith(TemporarySuffix, StringComparison.Ordinal))
        {
            return false;
        }
        for (int i = prefix.Length; i < prefix.Length + TemporaryHexDigits; i++)
        {
            if (!((name[i] >= '0' && name[i] <= '9') || (name[i] >= 'a' && name[i] <= 'f')))
            {
                return false;
            }
        }
        return true;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: the file is hidden, named after the target, and deleted by the next write.
        }
    }

    private static void DisposeQuietly(Stream stream)
    {
        try
        {
            stream.Dispose();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }

    /// <summary>The writer's file, with every I/O failure turned into one <c>WriteFailed</c> error.</summary>
    private sealed class GuardedStream : Stream
    {
        private readonly AtomicFileWriter _owner;

        public GuardedStream(AtomicFileWriter owner) => _owner = owner;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _owner._file.Length;

        public override long Position
        {
            get => _owner._file.Position;
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            try
            {
                _owner._sink.Write(buffer, offset, count);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw _owner.Failed(ex);
            }
        }

        public override void Flush()
        {
            try
            {
                _owner._sink.Flush();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw _owner.Failed(ex);
            }
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
