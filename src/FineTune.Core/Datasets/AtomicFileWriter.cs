using System;
using System.IO;

namespace FineTune.Datasets;

/// <summary>How <see cref="AtomicFileWriter"/> treats an existing target file.</summary>
public enum FileWriteMode
{
    /// <summary>Replace the target when the writer commits.</summary>
    Overwrite,

    /// <summary>Fail when the target exists (at open and again at commit).</summary>
    NoClobber,

    /// <summary>Write at the end of the target in place: not atomic, records written before a failure stay.</summary>
    Append,
}

/// <summary>
/// Writes a file atomically: everything goes to a hidden temporary file beside the target,
/// which <see cref="Commit"/> renames over it. Disposing without committing deletes the
/// temporary file and leaves an existing target untouched. <see cref="FileWriteMode.Append"/>
/// is the documented exception: it writes the target in place.
/// </summary>
public sealed class AtomicFileWriter : IDisposable
{
    private readonly FileStream _file;
    private readonly string? _tempPath;
    private readonly FileWriteMode _mode;
    private readonly bool _force;
    private bool _committed;
    private bool _disposed;

    private AtomicFileWriter(string path, string? tempPath, FileStream file, FileWriteMode mode, bool force)
    {
        TargetPath = path;
        _tempPath = tempPath;
        _file = file;
        _mode = mode;
        _force = force;
    }

    /// <summary>The file that exists after <see cref="Commit"/>.</summary>
    public string TargetPath { get; }

    /// <summary>Where the bytes go until <see cref="Commit"/> (the target itself in append mode).</summary>
    public string WritingPath => _tempPath ?? TargetPath;

    public Stream Stream => _file;

    /// <summary>
    /// Opens a writer for <paramref name="path"/>. With <paramref name="force"/>, a read-only
    /// target is replaced too; without it that is an error.
    /// </summary>
    public static AtomicFileWriter Open(string path, FileWriteMode mode, bool force = false)
    {
        path = System.IO.Path.GetFullPath(path);
        string directory = System.IO.Path.GetDirectoryName(path) ?? ".";
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
        try
        {
            if (mode == FileWriteMode.Append)
            {
                var appending = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, 64 * 1024);
                return new AtomicFileWriter(path, null, appending, mode, force);
            }
            string tempPath = System.IO.Path.Combine(directory, "." + System.IO.Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N").Substring(0, 12) + ".tmp");
            var temp = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024);
            return new AtomicFileWriter(path, tempPath, temp, mode, force);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw WriteFailed(path, ex);
        }
    }

    /// <summary>Flushes and, unless appending, renames the temporary file over the target.</summary>
    public void Commit()
    {
        if (_committed || _disposed)
        {
            throw new InvalidOperationException("The writer was already committed or disposed.");
        }
        try
        {
            _file.Flush(flushToDisk: true);
            _file.Dispose();
            if (_tempPath is not null)
            {
                Replace(_tempPath);
            }
            _committed = true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            if (_mode == FileWriteMode.NoClobber && File.Exists(TargetPath))
            {
                throw FileExists(TargetPath);
            }
            throw WriteFailed(TargetPath, ex);
        }
        finally
        {
            Dispose();
        }
    }

    private void Replace(string tempPath)
    {
        if (_mode == FileWriteMode.NoClobber)
        {
            File.Move(tempPath, TargetPath); // fails if the target appeared meanwhile
            return;
        }
        if (_force && File.Exists(TargetPath))
        {
            var target = new FileInfo(TargetPath);
            if (target.IsReadOnly)
            {
                target.IsReadOnly = false;
            }
        }
#if NET8_0_OR_GREATER
        File.Move(tempPath, TargetPath, overwrite: true);
#else
        if (File.Exists(TargetPath))
        {
            File.Replace(tempPath, TargetPath, null);
        }
        else
        {
            File.Move(tempPath, TargetPath);
        }
#endif
    }

    private static FineTuneException WriteFailed(string path, Exception ex) =>
        new("FineTune.File.WriteFailed", FailureKind.WriteError, $"Cannot write '{path}': {ex.Message}", path, "Check the folder's permissions and free space.", ex);

    private static FineTuneException FileExists(string path) =>
        new("FineTune.File.FileExists", FailureKind.ResourceExists,
            $"The file '{path}' already exists and -NoClobber was given.", path, "Choose another path, or omit -NoClobber to replace it.");

    /// <summary>Without a commit: deletes the temporary file; an existing target is untouched.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _file.Dispose();
        if (!_committed && _tempPath is not null)
        {
            try
            {
                File.Delete(_tempPath);
            }
            catch (IOException)
            {
                // Best effort: the temporary file is hidden and named after the target.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
