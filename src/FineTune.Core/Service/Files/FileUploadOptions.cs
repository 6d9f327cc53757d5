using System;

namespace FineTune.Service.Files;

/// <summary>How <see cref="FilesApi.UploadAsync"/> sends a file.</summary>
public sealed class FileUploadOptions
{
    /// <summary>Files larger than this go through the Uploads API (the Files endpoint takes at most 512 MB).</summary>
    public const long DirectUploadLimit = 512L * 1024 * 1024;

    /// <summary>The Uploads API's largest part.</summary>
    public const int MaxPartSize = 64 * 1024 * 1024;

    public string Purpose { get; set; } = FilePurposes.FineTune;

    /// <summary>Use the Uploads API even for a small file.</summary>
    public bool Chunked { get; set; }

    /// <summary>The name the service records (default: the local file's name).</summary>
    public string? FileName { get; set; }

    /// <summary>The MIME type sent with the file (default: from the extension; <c>text/jsonl</c> for .jsonl).</summary>
    public string? MimeType { get; set; }

    /// <summary>Files larger than this use the Uploads API; tests lower it to check the switch without a 512 MB file.</summary>
    internal long ChunkThreshold { get; set; } = DirectUploadLimit;

    /// <summary>Part size for the Uploads API; tests lower it to exercise several parts quickly.</summary>
    internal int PartSize { get; set; } = MaxPartSize;

    /// <summary>Called with the number of bytes of the file sent so far (it falls back when a part is re-sent).</summary>
    public Action<long>? Progress { get; set; }
}
