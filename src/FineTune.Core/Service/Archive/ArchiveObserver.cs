using System;

namespace FineTune.Service.Archive;

/// <summary>
/// What the exporter reports while it works; every callback is optional and may be called
/// from a worker thread (a cmdlet hands them to its pipeline thread).
/// </summary>
public sealed class ArchiveObserver
{
    /// <summary>An item is about to be fetched: its description and, for files, the size announced.</summary>
    public Action<string, long?>? ItemStarting { get; set; }

    /// <summary>Bytes of the current file received so far, and its total when known.</summary>
    public Action<long, long?>? Bytes { get; set; }

    /// <summary>
    /// A problem with one item that did not stop the job: the service no longer serves it
    /// (<c>FineTune.Archive.NotServed</c>) or a result file cannot be read as metrics
    /// (<c>FineTune.Job.ResultFileInvalid</c>). The item is recorded as missing, with the reason.
    /// </summary>
    public Action<FineTuneException>? Problem { get; set; }

    /// <summary>Something odd that lost nothing: a file whose size differs from what the service announced.</summary>
    public Action<string>? Warning { get; set; }
}
