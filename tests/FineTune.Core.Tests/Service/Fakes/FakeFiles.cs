using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;

namespace FineTune.Tests.Service.Fakes;

/// <summary>The fake server's files and in-progress uploads; tests may seed and inspect them.</summary>
public sealed class FakeFiles
{
    private readonly object _lock = new();
    private readonly List<StoredFile> _files = new();
    private readonly Dictionary<string, StoredUpload> _uploads = new();
    private long _counter;
    private long _clock;

    public sealed class StoredFile
    {
        public required string Id { get; init; }
        public required string FileName { get; init; }
        public required string Purpose { get; init; }
        public required byte[] Content { get; init; }
        public required long CreatedAt { get; init; }
        public string Status { get; set; } = "processed";
        public string? StatusDetails { get; set; }
        public int PendingPollsLeft { get; set; }
        public bool FailsProcessing { get; set; }

        /// <summary>From when on (on the server's clock) lists show it; retrieving it works at once.</summary>
        public TimeSpan VisibleFrom { get; set; }

        public JsonObject ToJson() => new()
        {
            ["id"] = Id,
            ["object"] = "file",
            ["bytes"] = Content.LongLength,
            ["created_at"] = CreatedAt,
            ["expires_at"] = null,
            ["filename"] = FileName,
            ["purpose"] = Purpose,
            ["status"] = Status,
            ["status_details"] = StatusDetails,
        };
    }

    public sealed class StoredUpload
    {
        public required string Id { get; init; }
        public required string FileName { get; init; }
        public required string Purpose { get; init; }
        public required long Bytes { get; init; }
        public required string MimeType { get; init; }
        public required long CreatedAt { get; init; }
        public string Status { get; set; } = "pending";
        public Dictionary<string, byte[]> Parts { get; } = new();
        public List<string> PartOrder { get; } = new();
        public string? CompletedFileId { get; set; }
    }

    public IReadOnlyList<StoredFile> All
    {
        get { lock (_lock) { return _files.ToList(); } }
    }

    public IReadOnlyList<StoredUpload> Uploads
    {
        get { lock (_lock) { return _uploads.Values.ToList(); } }
    }

    public StoredFile Add(string fileName, string purpose, byte[] content, string status = "processed", int pendingPolls = 0, bool failsProcessing = false)
    {
        lock (_lock)
        {
            var file = new StoredFile
            {
                Id = "file-" + NextId(),
                FileName = fileName,
                Purpose = purpose,
                Content = content,
                CreatedAt = NextTime(),
                Status = status,
                PendingPollsLeft = pendingPolls,
                FailsProcessing = failsProcessing,
            };
            _files.Add(file);
            return file;
        }
    }

    public StoredFile? Find(string id)
    {
        lock (_lock) { return _files.FirstOrDefault(f => f.Id == id); }
    }

    public bool Remove(string id)
    {
        lock (_lock) { return _files.RemoveAll(f => f.Id == id) > 0; }
    }

    /// <summary>Newest first, as the API lists by default; only the files visible at <paramref name="now"/>.</summary>
    public IReadOnlyList<StoredFile> Listed(string? purpose, bool ascending, TimeSpan now = default)
    {
        lock (_lock)
        {
            IEnumerable<StoredFile> files = _files.Where(f => (purpose is null || f.Purpose == purpose) && f.VisibleFrom <= now);
            return (ascending ? files.OrderBy(f => f.CreatedAt) : files.OrderByDescending(f => f.CreatedAt)).ToList();
        }
    }

    public StoredUpload CreateUpload(string fileName, string purpose, long bytes, string mimeType)
    {
        lock (_lock)
        {
            var upload = new StoredUpload { Id = "upload_" + NextId(), FileName = fileName, Purpose = purpose, Bytes = bytes, MimeType = mimeType, CreatedAt = NextTime() };
            _uploads.Add(upload.Id, upload);
            return upload;
        }
    }

    public StoredUpload? FindUpload(string id)
    {
        lock (_lock) { return _uploads.TryGetValue(id, out StoredUpload? upload) ? upload : null; }
    }

    public string AddPart(StoredUpload upload, byte[] data)
    {
        lock (_lock)
        {
            string id = "part_" + NextId();
            upload.Parts.Add(id, data);
            upload.PartOrder.Add(id);
            return id;
        }
    }

    /// <summary>Now in Unix seconds, but strictly increasing so that creation order is listing order.</summary>
    private long NextTime() => _clock = Math.Max(_clock + 1, DateTimeOffset.UtcNow.ToUnixTimeSeconds());

    public string NextId() => Interlocked.Increment(ref _counter).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
}
