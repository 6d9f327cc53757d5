using System;
using System.Collections.Generic;

namespace FineTune.Service;

/// <summary>
/// The <c>after</c> cursor of a listing, checked page by page before the page's items are
/// used: a later page must not end where the one before it did (a server that ignores
/// <c>after</c> repeats its first page), and a page that says more follow must be non-empty and
/// lead somewhere the listing has not been, or the listing would never end.
/// </summary>
internal sealed class ListCursor
{
    private readonly string _what;
    private readonly HashSet<string> _visited = new(StringComparer.Ordinal);

    public ListCursor(string what) => _what = what;

    /// <summary>The cursor for the next page (null: the first page).</summary>
    public string? After { get; private set; }

    /// <summary>
    /// Checks a page of <paramref name="count"/> items ending at <paramref name="end"/> (its
    /// <c>last_id</c>, else its last item's id); throws FineTune.Service.InvalidResponse if it
    /// cannot be right. Then <see cref="MoveTo"/> when <paramref name="more"/>.
    /// </summary>
    public void Check(string? end, int count, bool more, Uri page)
    {
        string problem =
            After is not null && count > 0 && end == After ? $"its page for after={After} ended at '{end}' again, so it repeats the page before"
            : end is not null && count > 0 && _visited.Contains(end) ? $"its page led back to '{end}', where the listing had already been"
            : more && count == 0 ? "its page said more items follow (has_more) but was empty"
            : more && end is null ? "its page said more items follow (has_more) but gave no cursor (no 'last_id', no item 'id')"
            : string.Empty;
        if (problem.Length > 0)
        {
            throw new ServiceException(ServiceErrorIds.InvalidResponse, FailureKind.ProtocolError,
                $"The listing of {_what} stopped at GET {page}: {problem}. Asking on would repeat the same pages without end.",
                _what, "Use what was listed so far; if the list should be complete, check that the base URL points at an OpenAI-compatible API.",
                method: "GET", requestUri: page);
        }
    }

    /// <summary>Moves past a checked page that said more follow.</summary>
    public void MoveTo(string end)
    {
        _visited.Add(end);
        After = end;
    }
}
