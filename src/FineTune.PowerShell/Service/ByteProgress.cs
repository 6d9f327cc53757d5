using System;
using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;

namespace FineTune.PowerShell.Service;

/// <summary>
/// A progress bar counted in bytes: may be fed from any thread, writes at most a few
/// records a second through the cmdlet's pipeline-thread queue, and is always completed.
/// </summary>
internal sealed class ByteProgress
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private readonly Action<ProgressRecord> _write;
    private readonly int _activityId;
    private readonly string _activity;
    private readonly int _parentActivityId;
    private readonly object _lock = new();
    private readonly Stopwatch _sinceLast = new();
    private long _total;
    private bool _completed;

    /// <summary>
    /// A bar whose records go through <paramref name="write"/>, which must hand them to the
    /// pipeline thread (the cmdlet's Post); shown under <paramref name="parentActivityId"/> when it is not -1.
    /// </summary>
    public ByteProgress(Action<ProgressRecord> write, int activityId, string activity, long total, int parentActivityId = -1)
    {
        _write = write;
        _activityId = activityId;
        _activity = activity;
        _total = total;
        _parentActivityId = parentActivityId;
    }

    public void SetTotal(long total)
    {
        lock (_lock)
        {
            _total = total;
        }
    }

    /// <summary>Reports <paramref name="done"/> bytes, taking the total as well when it is known.</summary>
    public void Report(long done, long? total)
    {
        if (total is long known)
        {
            SetTotal(known);
        }
        Report(done);
    }

    public void Report(long done)
    {
        ProgressRecord? record = null;
        lock (_lock)
        {
            bool last = _total > 0 && done >= _total;
            if (_completed || (_sinceLast.IsRunning && _sinceLast.Elapsed < Interval && !last))
            {
                return;
            }
            _sinceLast.Restart();
            record = new ProgressRecord(_activityId, _activity, Describe(done, _total))
            {
                PercentComplete = _total > 0 ? (int)Math.Min(100, done * 100 / _total) : -1,
                ParentActivityId = _parentActivityId,
            };
        }
        _write(record);
    }

    /// <summary>Ends the bar; safe to call more than once (call it in a finally).</summary>
    public void Complete()
    {
        lock (_lock)
        {
            if (_completed)
            {
                return;
            }
            _completed = true;
        }
        _write(new ProgressRecord(_activityId, _activity, "Done") { RecordType = ProgressRecordType.Completed, PercentComplete = 100, ParentActivityId = _parentActivityId });
    }

    internal static string Describe(long done, long total) => total > 0
        ? string.Format(CultureInfo.InvariantCulture, "{0} of {1}", Size(done), Size(total))
        : Size(done);

    internal static string Size(long bytes) => FineTune.Service.ByteSize.Format(bytes);
}
