using System;
using System.Globalization;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using FineTune.Datasets;

namespace FineTune.Service.Files;

/// <summary>
/// The Files and Uploads endpoints: upload (streamed from disk, through the Uploads API for
/// large files), list, retrieve, download, delete, and waiting for Azure's processing.
/// </summary>
public sealed class FilesApi
{
    /// <summary>Slowest transfer rate a single upload request is given time for, beyond the connection's timeout.</summary>
    private const double MinBytesPerSecond = 128 * 1024;

    private readonly ServiceClient _client;

    public FilesApi(ServiceClient client)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
    }

    /// <summary>
    /// Uploads the file at <paramref name="path"/>: in one streamed multipart request up to
    /// 512 MB, otherwise (or with <see cref="FileUploadOptions.Chunked"/>) through the Uploads API.
    /// </summary>
    public Task<ServiceFile> UploadAsync(string path, FileUploadOptions options, CancellationToken cancellationToken)
    {
        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FineTuneException("FineTune.Path.NotFound", FailureKind.ObjectNotFound, $"Cannot find the file '{path}'.", path, "Check the path.");
        }
        if (info.Length == 0)
        {
            throw new FineTuneException(ServiceErrorIds.UploadFailed, FailureKind.InvalidData, $"'{path}' is empty; the service does not accept empty files.", path, "Check that the file was written completely.");
        }
        return UploadCheckedAsync(info, options, cancellationToken);
    }

    private async Task<ServiceFile> UploadCheckedAsync(FileInfo info, FileUploadOptions options, CancellationToken cancellationToken)
    {
        try
        {
            return options.Chunked || info.Length > options.ChunkThreshold
                ? await UploadInPartsAsync(info, options, cancellationToken).ConfigureAwait(false)
                : await UploadDirectAsync(info, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new FineTuneException("FineTune.Path.ReadFailed", FailureKind.ReadError, $"Cannot read '{info.FullName}': {ex.Message}", info.FullName,
                "Check that the file exists, is readable and is not being written to.", ex);
        }
    }

    public async Task<ServiceFile> GetAsync(string id, CancellationToken cancellationToken)
    {
        var request = ServiceRequest.Get("files/" + ServiceRequest.Segment(id));
        request.Target = id;
        request.Operation = "retrieve file " + id;
        request.Expects = ExpectedAnswer.File;
        return ServiceFile.FromJson(await _client.SendJsonAsync(request, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The stored files, newest first, optionally of one purpose; pages are fetched as they are consumed.</summary>
    public async IAsyncEnumerable<ServiceFile> ListAsync(string? purpose = null, int? first = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var query = new List<KeyValuePair<string, string?>> { new("purpose", string.IsNullOrEmpty(purpose) ? null : purpose) };
        await foreach (JsonElement item in _client.ListAsync("files", query, first, pageSize: null, cancellationToken).ConfigureAwait(false))
        {
            yield return ServiceFile.FromJson(item);
        }
    }

    /// <summary>Deletes the file; <see cref="FileDeletion.Deleted"/> says whether the service confirms it.</summary>
    public async Task<FileDeletion> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        var request = ServiceRequest.Delete("files/" + ServiceRequest.Segment(id));
        request.Target = id;
        request.Operation = "delete file " + id;
        request.Expects = ExpectedAnswer.Deletion;
        JsonElement answer = await _client.SendJsonAsync(request, cancellationToken).ConfigureAwait(false);
        return new FileDeletion { Id = answer.GetStringOrNull("id") ?? id, Deleted = answer.GetBooleanOrNull("deleted") ?? false };
    }

    /// <summary>
    /// Downloads the file's content to <paramref name="destination"/> through a temporary file
    /// beside it, renamed into place only when complete; returns the bytes written.
    /// A connection lost mid-way restarts the download (up to the connection's retries).
    /// With <paramref name="force"/> a read-only destination is replaced too. With
    /// <paramref name="maxBytes"/>, content longer than that is a FineTune.Service.ResponseTooLarge
    /// error, found from the announced length or as soon as it is passed, and nothing is written.
    /// </summary>
    public async Task<long> DownloadAsync(string id, string destination, Action<long, long?>? progress, CancellationToken cancellationToken, bool force = false,
        long? maxBytes = null)
    {
        for (int attempt = 0; ; attempt++)
        {
            using AtomicFileWriter output = AtomicFileWriter.Open(destination, FileWriteMode.Overwrite, force);
            try
            {
                long written = await DownloadOnceAsync(id, output.Stream, progress, maxBytes, cancellationToken).ConfigureAwait(false);
                output.Commit();
                return written;
            }
            catch (DownloadInterruptedException ex) when (attempt < _client.Connection.MaxRetries)
            {
                _client.Log($"Download of {id} interrupted ({ex.Message}); starting again.");
                await _client.Connection.RetryTiming.Delay(ServiceClient.Backoff(_client.Connection.RetryTiming, attempt), cancellationToken).ConfigureAwait(false);
            }
            catch (DownloadInterruptedException ex) when (ex.InnerException is BodyStalledException)
            {
                throw new ServiceException(ServiceErrorIds.Timeout, FailureKind.OperationTimeout,
                    $"The download of {id} failed: {ex.Message}.", id, "Try again later, or connect with a longer -TimeoutSec.");
            }
            catch (DownloadInterruptedException ex)
            {
                throw new ServiceException(ServiceErrorIds.Connection, FailureKind.ConnectionError,
                    $"The download of {id} failed: {ex.Message}", id, "Check the network and try again.");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new FineTuneException(AtomicFileWriter.WriteFailedId, FailureKind.WriteError, $"Cannot write '{output.TargetPath}': {ex.Message}", destination,
                    "Check that the folder is writable and has free space.", ex);
            }
        }
    }

    /// <summary>
    /// Polls the file until the service has processed it (Azure validates uploads before they
    /// can be used); a file that ends in <c>error</c> is a FineTune.Service.FileProcessingFailed failure.
    /// </summary>
    public async Task<ServiceFile> WaitForProcessingAsync(string id, TimeSpan? timeout, Action<ServiceFile>? onPoll, CancellationToken cancellationToken)
    {
        RetryTiming timing = _client.Connection.RetryTiming;
        DateTimeOffset deadline = timeout is { } t ? timing.UtcNow() + t : DateTimeOffset.MaxValue;
        TimeSpan interval = TimeSpan.FromSeconds(1);
        while (true)
        {
            ServiceFile file = await GetAsync(id, cancellationToken).ConfigureAwait(false);
            onPoll?.Invoke(file);
            if (IsProcessed(file))
            {
                return file;
            }
            if (file.Status is "error" or "deleted" or "deleting")
            {
                throw new FineTuneException(ServiceErrorIds.FileProcessingFailed, FailureKind.InvalidData,
                    $"The service could not process file {id} ({ServiceText.Clean(file.FileName)}): status '{ServiceText.Clean(file.Status)}'{(file.StatusDetails is { Length: > 0 } details ? ": " + ServiceText.Clean(details) : ".")}",
                    id, "Fix the file (Test-FineTuneDataset lists its problems) and upload it again.");
            }
            if (timing.UtcNow() >= deadline)
            {
                throw new FineTuneException(ServiceErrorIds.Timeout, FailureKind.OperationTimeout,
                    $"File {id} is still '{ServiceText.Clean(file.Status)}' after {timeout!.Value.TotalSeconds:0} s.", id, "Wait longer, or check the file with Get-FineTuneFile.");
            }
            await timing.Delay(interval, cancellationToken).ConfigureAwait(false);
            interval = TimeSpan.FromSeconds(Math.Min(interval.TotalSeconds * 2, 10));
        }
    }

    /// <summary>
    /// Azure validates a file after upload (pending, running, then processed or error); OpenAI's
    /// files are usable at once and report <c>uploaded</c> or <c>processed</c>, or nothing.
    /// </summary>
    private bool IsProcessed(ServiceFile file) => file.Status switch
    {
        "processed" => true,
        null or "uploaded" => _client.Connection.Provider != ServiceProvider.AzureOpenAI,
        _ => false,
    };

    private async Task<ServiceFile> UploadDirectAsync(FileInfo info, FileUploadOptions options, CancellationToken cancellationToken)
    {
        string fileName = options.FileName ?? info.Name;
        string mimeType = options.MimeType ?? MimeTypes.FromFileName(fileName);
        string path = info.FullName;
        long length = info.Length;
        DateTimeOffset started = _client.Connection.RetryTiming.UtcNow();

        var request = new ServiceRequest(HttpMethod.Post, "files")
        {
            Target = path,
            Timeout = TimeoutFor(length),
            NotIdempotent = true,
            Operation = $"upload {fileName}",
            Expects = ExpectedAnswer.File,
            FindItAdvice = FindUploadAdvice(fileName, length, options.Purpose),
            FindExisting = token => FindUploadedAsync(fileName, length, options.Purpose, started, token),
            Content = () =>
            {
                var form = MultipartForm.Create();
                form.AddText("purpose", options.Purpose);
                form.AddFile("file", fileName, mimeType, new StreamContent(new FileSliceStream(path, 0, length, options.Progress), 81920));
                return form;
            },
        };
        ServiceFile file = ServiceFile.FromJson(await _client.SendJsonAsync(request, cancellationToken).ConfigureAwait(false));
        options.Progress?.Invoke(length);
        return file;
    }

    private async Task<ServiceFile> UploadInPartsAsync(FileInfo info, FileUploadOptions options, CancellationToken cancellationToken)
    {
        string fileName = options.FileName ?? info.Name;
        string path = info.FullName;
        long length = info.Length;
        int partSize = options.PartSize;

        // Creating an Upload is harmless to repeat: an unused one expires after an hour and makes no file.
        var create = ServiceRequest.PostJson("uploads", new JsonObject
        {
            ["filename"] = fileName,
            ["purpose"] = options.Purpose,
            ["bytes"] = length,
            ["mime_type"] = options.MimeType ?? MimeTypes.FromFileName(fileName),
        });
        create.Target = path;
        create.Operation = $"create an upload for {fileName}";
        create.Expects = ExpectedAnswer.Upload;
        JsonElement upload = await _client.SendJsonAsync(create, cancellationToken).ConfigureAwait(false);
        string uploadId = upload.GetRequiredString("id", "upload object");
        DateTimeOffset started = _client.Connection.RetryTiming.UtcNow();
        _client.Log($"Upload {uploadId} created for {fileName} ({length} bytes in {(length + partSize - 1) / partSize} parts).");

        using var md5 = new RunningMd5();
        var partIds = new JsonArray();
        JsonElement completed;
        try
        {
            for (long offset = 0; offset < length; offset += partSize)
            {
                long start = offset;
                long size = Math.Min(partSize, length - offset);
                Action<long>? progress = options.Progress is { } report ? sent => report(start + sent) : null;
                // A part is retried on its own; a part sent twice is only an unused part, never part of the file.
                var part = new ServiceRequest(HttpMethod.Post, $"uploads/{ServiceRequest.Segment(uploadId)}/parts")
                {
                    Target = path,
                    Operation = $"add part {(start / partSize) + 1} to upload {uploadId}",
                    Expects = ExpectedAnswer.UploadPart,
                    Timeout = TimeoutFor(size),
                    Content = () =>
                    {
                        var form = MultipartForm.Create();
                        form.AddFile("data", fileName, "application/octet-stream", new StreamContent(new FileSliceStream(path, start, size, progress, md5), 81920));
                        return form;
                    },
                };
                JsonElement added = await _client.SendJsonAsync(part, cancellationToken).ConfigureAwait(false);
                partIds.Add(added.GetRequiredString("id", "upload part"));
            }

            string checksum = await md5.FinishAsync(path, length, cancellationToken).ConfigureAwait(false);
            var complete = ServiceRequest.PostJson($"uploads/{ServiceRequest.Segment(uploadId)}/complete", new JsonObject { ["part_ids"] = partIds, ["md5"] = checksum });
            complete.Target = path;
            complete.NotIdempotent = true;
            complete.Operation = $"complete upload {uploadId}";
            complete.Expects = ExpectedAnswer.Upload;
            complete.FindItAdvice = FindUploadAdvice(fileName, length, options.Purpose);
            complete.FindExisting = async token => await FindUploadedAsync(fileName, length, options.Purpose, started, token).ConfigureAwait(false) is { } found
                ? JsonSerializer.SerializeToElement(new JsonObject { ["id"] = uploadId, ["status"] = "completed", ["file"] = JsonNode.Parse(found.GetRawText()) })
                : null;
            completed = await _client.SendJsonAsync(complete, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FineTuneException or OperationCanceledException)
        {
            await CancelUploadQuietlyAsync(uploadId).ConfigureAwait(false);
            throw;
        }

        options.Progress?.Invoke(length);
        if (completed.Property("file") is not { ValueKind: JsonValueKind.Object } file)
        {
            throw new ServiceException(ServiceErrorIds.UploadFailed, FailureKind.ProtocolError,
                $"Upload {uploadId} was completed but the service returned no file object (status '{ServiceText.Clean(completed.GetStringOrNull("status"))}').", path,
                "List the files with Get-FineTuneFile; the file may appear shortly.");
        }
        return ServiceFile.FromJson(file);
    }

    /// <summary>Cancels an Upload that will not be completed (no parts can be added afterwards).</summary>
    public async Task CancelUploadAsync(string uploadId, CancellationToken cancellationToken)
    {
        var cancel = ServiceRequest.Post($"uploads/{ServiceRequest.Segment(uploadId)}/cancel");
        cancel.Target = uploadId;
        using ServiceResponse _ = await _client.SendAsync(cancel, cancellationToken).ConfigureAwait(false);
    }

    private async Task CancelUploadQuietlyAsync(string uploadId)
    {
        try
        {
            using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await CancelUploadAsync(uploadId, bounded.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FineTuneException or OperationCanceledException)
        {
            _client.Log($"Could not cancel upload {uploadId} ({ex.Message}); it expires on its own within an hour.");
        }
    }

    /// <summary>
    /// After an unknown outcome: a file of this name, size and purpose created since the upload
    /// began. The minute of slack allows for the service's clock being behind ours; an identical
    /// file uploaded deliberately within that minute would be taken for this one.
    /// </summary>
    private async Task<JsonElement?> FindUploadedAsync(string fileName, long length, string purpose, DateTimeOffset started, CancellationToken cancellationToken)
    {
        DateTimeOffset notBefore = started - TimeSpan.FromMinutes(1);
        await foreach (JsonElement item in _client.ListAsync("files", new[] { new KeyValuePair<string, string?>("purpose", purpose) }, first: 100, pageSize: null, cancellationToken).ConfigureAwait(false))
        {
            if (item.GetStringOrNull("filename") == fileName && item.GetInt64OrNull("bytes") == length && item.GetUnixTimeOrNull("created_at") >= notBefore)
            {
                return item;
            }
        }
        return null;
    }

    private async Task<long> DownloadOnceAsync(string id, Stream output, Action<long, long?>? progress, long? maxBytes, CancellationToken cancellationToken)
    {
        var request = ServiceRequest.Get($"files/{ServiceRequest.Segment(id)}/content");
        request.Target = id;
        request.Operation = "download file " + id;
        using ServiceResponse response = await _client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        long? total = response.ContentLength;
        if (total > maxBytes)
        {
            throw TooLarge(id, maxBytes!.Value);
        }
        long written = 0;
        using (Stream body = await response.ReadStreamAsync(cancellationToken, maxBytes).ConfigureAwait(false))
        {
            byte[] buffer = new byte[81920];
            while (true)
            {
                int read;
                try
                {
                    read = await body.ReadAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false);
                }
                catch (BodyStalledException ex)
                {
                    throw new DownloadInterruptedException(ex.Message, ex);
                }
                catch (BodyTooLargeException)
                {
                    throw TooLarge(id, maxBytes!.Value);
                }
                catch (Exception ex) when (ex is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
                {
                    throw new DownloadInterruptedException($"the connection broke after {written} bytes: {ServiceText.Clean(ex.Message)}", ex);
                }
                if (read == 0)
                {
                    break;
                }
                await output.WriteAsync(buffer, 0, read, cancellationToken).ConfigureAwait(false);
                written += read;
                progress?.Invoke(written, total);
            }
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        if (total is long expected && expected != written)
        {
            throw new DownloadInterruptedException($"it ended after {written} of {expected} bytes", null);
        }
        return written;
    }

    private static FineTuneException TooLarge(string id, long max) =>
        new(ServiceErrorIds.ResponseTooLarge, FailureKind.LimitsExceeded,
            $"File {id} is larger than {max.ToString("N0", CultureInfo.InvariantCulture)} bytes, the most FineTune reads of it here; it was not read further.", id,
            "Check the file with Get-FineTuneFile; Save-FineTuneFile downloads a file of any size.");

    private static string FindUploadAdvice(string fileName, long length, string purpose) =>
        $"If the upload arrived, it is the newest file named '{ServiceText.Escape(fileName)}' of {length} bytes: Get-FineTuneFile -Purpose {purpose} | Where-Object FileName -eq '{ServiceText.Escape(fileName).Replace("'", "''")}'.";

    private TimeSpan TimeoutFor(long bytes) => _client.Connection.Timeout == Timeout.InfiniteTimeSpan
        ? Timeout.InfiniteTimeSpan
        : _client.Connection.Timeout + TimeSpan.FromSeconds(bytes / MinBytesPerSecond);

    private sealed class DownloadInterruptedException : IOException
    {
        public DownloadInterruptedException(string message, Exception? inner)
            : base(message, inner)
        {
        }
    }
}
