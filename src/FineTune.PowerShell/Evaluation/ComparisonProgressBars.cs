using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using FineTune.Evaluation;

namespace FineTune.PowerShell.Evaluation;

/// <summary>
/// The progress of a comparison: one parent bar and one child bar per model (and the judge)
/// counting examples answered. Fed from worker threads, writes at most a few times a second
/// through the cmdlet's pipeline-thread queue, and is always completed.
/// </summary>
internal sealed class ComparisonProgressBars
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private readonly Action<ProgressRecord> _write;
    private readonly int _parentId;
    private readonly string _activity;
    private readonly List<string> _names = new();
    private readonly int _models;
    private readonly long[] _done;
    private readonly bool[] _seen;
    private readonly object _lock = new();
    private readonly Stopwatch _sinceLast = new();
    private long _total;
    private bool _completed;

    /// <param name="write">Hands a record to the pipeline thread (the cmdlet's Post).</param>
    /// <param name="parentId">Activity id of the parent bar; the children use the ids after it.</param>
    /// <param name="activity">The parent bar's text.</param>
    /// <param name="models">The models compared.</param>
    /// <param name="judge">The judge model, or null.</param>
    public ComparisonProgressBars(Action<ProgressRecord> write, int parentId, string activity, IReadOnlyList<string> models, string? judge)
    {
        _write = write;
        _parentId = parentId;
        _activity = activity;
        _names.AddRange(models);
        _models = models.Count;
        if (judge is not null)
        {
            _names.Add(judge + " (judge)");
        }
        _done = new long[_names.Count];
        _seen = new bool[_names.Count];
    }

    /// <summary>Examples expected (0 when unknown: pipeline input). The judge expects one per candidate and example.</summary>
    public void SetTotal(long total)
    {
        lock (_lock)
        {
            _total = total;
        }
    }

    public void Report(ComparisonProgress progress)
    {
        List<ProgressRecord> records;
        lock (_lock)
        {
            if (_completed || progress.Index >= _done.Length)
            {
                return;
            }
            _done[progress.Index] = progress.Done;
            _seen[progress.Index] = true;
            if (_sinceLast.IsRunning && _sinceLast.Elapsed < Interval)
            {
                return;
            }
            _sinceLast.Restart();
            records = Records();
        }
        foreach (ProgressRecord record in records)
        {
            _write(record);
        }
    }

    /// <summary>Ends every bar; safe to call more than once (call it in a finally).</summary>
    public void Complete()
    {
        List<ProgressRecord> records = new();
        lock (_lock)
        {
            if (_completed)
            {
                return;
            }
            _completed = true;
            for (int i = 0; i < _names.Count; i++)
            {
                if (_seen[i])
                {
                    records.Add(new ProgressRecord(_parentId + 1 + i, _names[i], "Done") { ParentActivityId = _parentId, RecordType = ProgressRecordType.Completed, PercentComplete = 100 });
                }
            }
            records.Add(new ProgressRecord(_parentId, _activity, "Done") { RecordType = ProgressRecordType.Completed, PercentComplete = 100 });
        }
        foreach (ProgressRecord record in records)
        {
            _write(record);
        }
    }

    private List<ProgressRecord> Records()
    {
        int models = _models;
        long least = long.MaxValue;
        for (int i = 0; i < models; i++)
        {
            least = Math.Min(least, _done[i]);
        }
        var records = new List<ProgressRecord>
        {
            new(_parentId, _activity, _total > 0
                ? string.Format(CultureInfo.InvariantCulture, "{0} of {1} examples answered by every model", least, _total)
                : string.Format(CultureInfo.InvariantCulture, "{0} examples answered by every model", least))
            {
                PercentComplete = Percent(least, _total),
            },
        };
        for (int i = 0; i < _names.Count; i++)
        {
            if (!_seen[i])
            {
                continue;
            }
            long expected = i < models ? _total : _total * Math.Max(0, models - 1);
            records.Add(new ProgressRecord(_parentId + 1 + i, _names[i], expected > 0
                ? string.Format(CultureInfo.InvariantCulture, "{0} of {1} {2}", _done[i], expected, i < models ? "examples" : "answers judged")
                : string.Format(CultureInfo.InvariantCulture, "{0} {1}", _done[i], i < models ? "examples" : "answers judged"))
            {
                ParentActivityId = _parentId,
                PercentComplete = Percent(_done[i], expected),
            });
        }
        return records;
    }

    private static int Percent(long done, long total) => total > 0 ? (int)Math.Min(100, done * 100 / total) : -1;
}
