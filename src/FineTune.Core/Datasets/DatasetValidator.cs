using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Threading;
using FineTune.Tokens;
using static FineTune.Datasets.JsonChecks;

namespace FineTune.Datasets;

/// <summary>
/// Checks training data line by line against the service's rules and the cookbook's advice.
/// Use <see cref="ValidateFile"/> for a file (one streaming pass), or feed examples with
/// <c>CheckLine</c> and finish with <see cref="Complete"/>. Every problem is one
/// <see cref="DatasetIssue"/>; nothing throws on bad data. Memory does not grow with the
/// input: duplicates are found by <see cref="DuplicateFinder"/>, which spills to a temporary
/// file past a million lines, and reported after the last line, in line order.
/// </summary>
public sealed class DatasetValidator : IDisposable
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = JsonValueParser.DefaultMaxDepth };
    private static readonly IReadOnlyList<DatasetIssue> NoIssues = Array.Empty<DatasetIssue>();

    private readonly DatasetValidationOptions _options;
    private readonly DuplicateFinder _duplicates;

    // Set once, by the line that decides it; read by the workers that check later lines.
    private volatile FirstFormat? _format;

    /// <param name="path">The file name put on every issue (null for pipeline objects).</param>
    /// <param name="options">Limits and extra rules; defaults when null.</param>
    public DatasetValidator(string? path, DatasetValidationOptions? options = null)
    {
        Path = path;
        _options = options ?? new DatasetValidationOptions();
        _duplicates = new DuplicateFinder(_options.DuplicateBufferRecords);
    }

    public string? Path { get; }

    /// <summary>The format of the first example that had one; null before.</summary>
    public DatasetFormat? Format => _format?.Format;

    /// <summary>Non-blank lines seen.</summary>
    public long ExampleCount { get; private set; }

    /// <summary>Issues of severity Error reported so far.</summary>
    public long ErrorCount { get; private set; }

    public long WarningCount { get; private set; }

    /// <summary>
    /// Checks a file: line issues in line order as they are found, then duplicates, then
    /// whole-file issues. Lines are checked on <see cref="DatasetValidationOptions.MaxDegreeOfParallelism"/>
    /// threads while one reads; the issues and the progress come on the enumerating thread.
    /// </summary>
    /// <exception cref="OperationCanceledException">The token was cancelled (checked between reads, within one read of at most 1 MiB).</exception>
    public static IEnumerable<DatasetIssue> ValidateFile(string path, DatasetValidationOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var validator = new DatasetValidator(path, options);
        foreach (DatasetIssue issue in validator.Run(cancellationToken))
        {
            yield return issue;
        }
    }

    private IEnumerable<DatasetIssue> Run(CancellationToken cancellationToken)
    {
        const long ProgressStep = 8 * 1024 * 1024;
        long nextProgress = ProgressStep;
        long length = new FileInfo(Path!).Length;
        using (JsonlReader reader = JsonlReader.Open(Path!, _options.MaxLineBytes, cancellationToken))
        {
            foreach (LineBatch<LineCheck> batch in ParallelLines.Process(reader, _options.MaxDegreeOfParallelism, Examine, cancellationToken))
            {
                if (_options.Progress is not null && batch.BytesRead >= nextProgress)
                {
                    _options.Progress(batch.BytesRead, Math.Max(length, batch.BytesRead));
                    nextProgress = batch.BytesRead + ProgressStep;
                }
                for (int i = 0; i < batch.Count; i++)
                {
                    IReadOnlyList<DatasetIssue> issues = Accept(batch.Lines[i].Bytes, batch.Lines[i].Number, batch.Results[i]);
                    for (int j = 0; j < issues.Count; j++)
                    {
                        yield return issues[j];
                    }
                }
            }
            length = Math.Max(length, reader.BytesRead);
        }
        _options.Progress?.Invoke(length, length);
        foreach (DatasetIssue issue in Complete(cancellationToken))
        {
            yield return issue;
        }
    }

    /// <summary>Checks one example's JSON (a line of a file, or an object serialized by the caller).</summary>
    public IReadOnlyList<DatasetIssue> CheckLine(ReadOnlyMemory<byte> json, long lineNumber) =>
        Accept(json, lineNumber, Examine(json, lineNumber, _format));

    private LineCheck Examine(JsonlLine line) => line.TooLong is string tooLong
        ? LineCheck.TooLong(new IssueSink(Path, line.Number), tooLong)
        : Examine(line.Bytes, line.Number, _format);

    /// <summary>
    /// Everything about one line that needs no other line: on any thread. The file's format,
    /// when already known, decides how the line is checked, as it does in <see cref="Accept"/>.
    /// </summary>
    private LineCheck Examine(ReadOnlyMemory<byte> json, long lineNumber, FirstFormat? fileFormat)
    {
        LineHash hash = LineHash.Of(json.Span);
        int invalidUtf8Index = Utf8Validation.IndexOfInvalid(json.Span);
        IssueSink sink;
        if (invalidUtf8Index >= 0)
        {
            sink = new IssueSink(Path, lineNumber);
            sink.Error(DatasetIssueCodes.InvalidUtf8,
                $"Invalid UTF-8 byte 0x{json.Span[invalidUtf8Index]:X2} at column {Utf8Validation.ColumnOf(json.Span, invalidUtf8Index)}; save the file as UTF-8 (not ANSI or UTF-16).");
            return new LineCheck(hash, sink);
        }

        bool mayHaveSpecialTokens = json.Span.IndexOf(SpecialTokenText.StartUtf8) >= 0;
        if (!mayHaveSpecialTokens && _options.Rules.Count == 0 && fileFormat?.Format is null or DatasetFormat.Chat
            && PlainChatLine.TryRead(json.Span, out ConversationFacts facts))
        {
            sink = new IssueSink(Path, lineNumber);
            if (UnpairedSurrogate(json.Span, sink))
            {
                return new LineCheck(hash, sink);
            }
            FormatRules.CheckConversation(facts, sink);
            return new LineCheck(hash, sink, DatasetFormat.Chat, fileFormat);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException)
        {
            sink = new IssueSink(Path, lineNumber);
            ReportSyntax(json.Span, sink);
            return new LineCheck(hash, sink);
        }
        using (document)
        {
            sink = new IssueSink(Path, lineNumber);
            if (UnpairedSurrogate(json.Span, sink))
            {
                return new LineCheck(hash, sink);
            }
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                sink.Error(DatasetIssueCodes.NotAnObject, $"The line is {KindName(root.ValueKind)}, not a JSON object; each line must be one {{...}} example.");
                return new LineCheck(hash, sink);
            }
            DatasetFormat? format = FormatRules.DetectFormat(root);
            if (format is null)
            {
                sink.Error(DatasetIssueCodes.UnknownFormat,
                    "The object has no \"messages\" (chat), \"prompt\"/\"completion\" (legacy) or \"input\"/\"preferred_output\" (preference); add the messages of the conversation.",
                    "$.messages");
                return new LineCheck(hash, sink);
            }
            DatasetFormat checkAs = format.Value;
            if (fileFormat is not null)
            {
                if (FormatRules.Family(fileFormat.Format) != FormatRules.Family(checkAs) || (fileFormat.Format == DatasetFormat.Reinforcement && checkAs == DatasetFormat.Chat && !FormatRules.HasNonChatKeys(root)))
                {
                    sink.Error(DatasetIssueCodes.MixedFormats,
                        $"This line is a {FormatRules.Describe(checkAs)} but the file's first example (line {fileFormat.Line}) is a {FormatRules.Describe(fileFormat.Format)}; a file holds one format only. Move it to its own file or convert it.");
                    return new LineCheck(hash, sink, format, fileFormat);
                }
                // In a chat file, a line that looks like reinforcement data is most likely a broken
                // chat example: the chat rules say what is missing.
                checkAs = fileFormat.Format;
            }

            switch (checkAs)
            {
                case DatasetFormat.PromptCompletion:
                    FormatRules.CheckPromptCompletion(root, sink, mayHaveSpecialTokens);
                    break;
                case DatasetFormat.Preference:
                    FormatRules.CheckPreference(root, sink, mayHaveSpecialTokens);
                    break;
                case DatasetFormat.Reinforcement:
                    FormatRules.CheckReinforcement(root, sink, mayHaveSpecialTokens);
                    break;
                default:
                    FormatRules.CheckChat(root, sink, mayHaveSpecialTokens);
                    break;
            }
            if (_options.Rules.Count > 0)
            {
                var context = new ExampleContext(Path, lineNumber, checkAs, json, root, sink.ErrorCount > 0, sink.Issues);
                foreach (IExampleRule rule in _options.Rules)
                {
                    rule.Check(context);
                }
            }
            return new LineCheck(hash, sink, format, fileFormat);
        }
    }

    /// <summary>JsonDocument and a line's reader accept an escaped lone surrogate; Import-Jsonl and the service cannot use it.</summary>
    private static bool UnpairedSurrogate(ReadOnlySpan<byte> json, IssueSink sink)
    {
        if (JsonValueParser.FindUnpairedSurrogate(json) is not JsonLineError surrogate)
        {
            return false;
        }
        sink.Error(surrogate.Code, $"Column {surrogate.Column}: {surrogate.Reason}.");
        return true;
    }

    /// <summary>
    /// What a line means for the file, in line order on one thread: the count, the duplicate
    /// fingerprint, and the file's format. A line examined before the format was known, whose
    /// format differs from it, is examined again now that it is.
    /// </summary>
    private IReadOnlyList<DatasetIssue> Accept(ReadOnlyMemory<byte> json, long lineNumber, LineCheck check)
    {
        ExampleCount++;
        if (check.Hash is LineHash hash)
        {
            _duplicates.Observe(lineNumber, hash);
        }
        if (check.Format is DatasetFormat format && check.FileFormat is null)
        {
            if (_format is null)
            {
                _format = new FirstFormat(format, lineNumber);
            }
            else if (_format.Format != format)
            {
                check = Examine(json, lineNumber, _format);
            }
        }
        return Finish(check.Sink);
    }

    /// <summary>
    /// After the last line: the lines that repeat an earlier one (in line order), then the
    /// whole-file issues (empty file, too few examples). Enumerate it once.
    /// </summary>
    public IEnumerable<DatasetIssue> Complete(CancellationToken cancellationToken = default)
    {
        foreach ((long line, long first) in _duplicates.Duplicates(cancellationToken))
        {
            var issue = new DatasetIssue(Path, line, DatasetIssueSeverity.Warning, DatasetIssueCodes.DuplicateExample,
                $"The line repeats line {first} exactly; remove the duplicate so the example is not over-weighted.", null);
            Count(issue);
            yield return issue;
        }
        if (WholeFileIssue() is DatasetIssue fileIssue)
        {
            Count(fileIssue);
            yield return fileIssue;
        }
    }

    /// <summary>An empty file, or too few examples; null when the count is fine.</summary>
    private DatasetIssue? WholeFileIssue()
    {
        if (ExampleCount == 0)
        {
            return FileIssue(DatasetIssueSeverity.Error, DatasetIssueCodes.EmptyFile, "The file has no examples; add one JSON object per line.");
        }
        if (ExampleCount < _options.MinimumExamples)
        {
            return FileIssue(DatasetIssueSeverity.Error, DatasetIssueCodes.TooFewExamples,
                $"The file has {ExampleCount} example{(ExampleCount == 1 ? string.Empty : "s")}; the service requires at least {_options.MinimumExamples}. Add more examples.");
        }
        if (ExampleCount < _options.RecommendedExamples)
        {
            return FileIssue(DatasetIssueSeverity.Warning, DatasetIssueCodes.FewExamples,
                $"The file has {ExampleCount} examples; training usually improves clearly with {_options.RecommendedExamples} to 100 or more. Add examples if you can.");
        }
        return null;
    }

    /// <summary>Deletes the duplicate finder's temporary file, if it made one.</summary>
    public void Dispose() => _duplicates.Dispose();

    private static void ReportSyntax(ReadOnlySpan<byte> line, IssueSink sink)
    {
        if (JsonValueParser.TryParseObject(line, out _, out JsonLineError? error) || error is null)
        {
            // JsonDocument refused what the value parser accepts: only the depth limits differ.
            sink.Error(DatasetIssueCodes.NestingTooDeep, $"Objects and arrays are nested more than {JsonValueParser.DefaultMaxDepth} levels deep; flatten the data.");
            return;
        }
        string fix = error.Code switch
        {
            "NestingTooDeep" => string.Empty,
            "NotAnObject" => string.Empty,
            "DuplicateKey" => string.Empty,
            _ => "; fix the JSON syntax (each line must be one complete JSON object)",
        };
        sink.Error(error.Code, $"Column {error.Column}: {error.Reason}{fix}.");
    }

    private DatasetIssue FileIssue(DatasetIssueSeverity severity, string code, string message) => new(Path, null, severity, code, message, null);

    private IReadOnlyList<DatasetIssue> Finish(IssueSink sink)
    {
        if (sink.Issues.Count == 0)
        {
            return NoIssues;
        }
        foreach (DatasetIssue issue in sink.Issues)
        {
            Count(issue);
        }
        return sink.Issues;
    }

    private void Count(DatasetIssue issue)
    {
        if (issue.Severity == DatasetIssueSeverity.Error)
        {
            ErrorCount++;
        }
        else
        {
            WarningCount++;
        }
    }

    /// <summary>The file's format and the line that set it.</summary>
    private sealed class FirstFormat
    {
        public FirstFormat(DatasetFormat format, long line)
        {
            Format = format;
            Line = line;
        }

        public DatasetFormat Format { get; }

        public long Line { get; }
    }

    /// <summary>What examining one line found, before its place in the file is known.</summary>
    private readonly struct LineCheck
    {
        public LineCheck(LineHash? hash, IssueSink sink, DatasetFormat? format = null, FirstFormat? fileFormat = null)
        {
            Hash = hash;
            Sink = sink;
            Format = format;
            FileFormat = fileFormat;
        }

        /// <summary>The line's fingerprint; null for a line too long to hold.</summary>
        public LineHash? Hash { get; }

        public IssueSink Sink { get; }

        /// <summary>The format the line looks like; null when it has none or is not a readable object.</summary>
        public DatasetFormat? Format { get; }

        /// <summary>The file's format as known when the line was examined.</summary>
        public FirstFormat? FileFormat { get; }

        public static LineCheck TooLong(IssueSink sink, string tooLong)
        {
            sink.Error(DatasetIssueCodes.LineTooLong, $"The line {tooLong}; it was not checked. Split the example or remove embedded data (such as base64 images).");
            return new LineCheck(null, sink);
        }
    }
}
