using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace FineTune.Datasets;

/// <summary>
/// Turns rows (CSV records, property bags, dictionaries) into typed examples. Columns come
/// from the options or are recognized by their usual names, case-insensitively; rows that
/// already carry <c>messages</c> (or, for preference data, <c>input</c> and
/// <c>preferred_output</c>) pass through as typed examples. A row that cannot be converted is a
/// <see cref="FineTuneException"/> naming the row number and the column.
/// </summary>
public sealed class ExampleConverter
{
    /// <summary>The error id of rows that show the CSV was read with the wrong delimiter; nothing after it can convert.</summary>
    public const string WrongDelimiterErrorId = "FineTune.Dataset.WrongDelimiter";

    private static readonly string[] UserNames = { "prompt", "question", "input", "user" };
    private static readonly string[] AssistantNames = { "completion", "answer", "output", "assistant" };
    private static readonly string[] PreferredNames = { "preferred_output", "preferred", "chosen" };
    private static readonly string[] NonPreferredNames = { "non_preferred_output", "non_preferred", "rejected" };
    private static readonly string[] SystemNames = { "system", "system_message" };

    private readonly ExampleConversionOptions _options;
    private readonly IJsonPropertyReader? _reader;
    private ColumnMapping? _lastMapping;

    public ExampleConverter(ExampleConversionOptions options, IJsonPropertyReader? reader = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _reader = reader;
        if (options.Format == DatasetFormat.PromptCompletion && (options.SystemMessage is not null || options.SystemProperty is not null))
        {
            throw new FineTuneException("FineTune.Dataset.SystemNotSupported", FailureKind.InvalidArgument,
                "The PromptCompletion format has no system message.", options.Format,
                "Omit -SystemMessage and -SystemProperty, or use -Format Chat.");
        }
        if (options.Format == DatasetFormat.Reinforcement)
        {
            throw new FineTuneException("FineTune.Dataset.FormatNotConvertible", FailureKind.InvalidArgument,
                "Rows cannot be converted to reinforcement examples: their grader fields are specific to each task.", options.Format,
                "Build reinforcement examples as objects with messages and your grader's fields, then use Export-Jsonl.");
        }
    }

    /// <summary>
    /// Converts one input object. <paramref name="rowNumber"/> (1-based) is used in error
    /// messages. <paramref name="newMapping"/> is set when the columns chosen differ from the
    /// previous row's (so a host can say which were chosen once, not for every row).
    /// </summary>
    public FineTuneExample Convert(object? input, long rowNumber, out ColumnMapping? newMapping)
    {
        newMapping = null;
        object? value = input is not null && _reader is not null ? _reader.Unwrap(input) : input;
        switch (value)
        {
            case null:
                throw RowError(rowNumber, $"Row {rowNumber} is null.", "Remove empty items from the input.");
            case FineTuneExample example when example.Format == _options.Format:
                return example;
            case FineTuneExample example:
                throw RowError(rowNumber, $"Row {rowNumber} is already a {example.Format} example, not {_options.Format}.", $"Use -Format {example.Format}.");
        }
        IReadOnlyList<KeyValuePair<string, object?>> row = RowOf(value!, rowNumber);
        return ConvertRow(row, rowNumber, value!, out newMapping);
    }

    /// <summary>Converts a row given as ordered name/value pairs.</summary>
    public FineTuneExample ConvertRow(IReadOnlyList<KeyValuePair<string, object?>> row, long rowNumber, out ColumnMapping? newMapping)
        => ConvertRow(row, rowNumber, row, out newMapping);

    private FineTuneExample ConvertRow(IReadOnlyList<KeyValuePair<string, object?>> row, long rowNumber, object original, out ColumnMapping? newMapping)
    {
        newMapping = null;
        if (_options.Format == DatasetFormat.Chat && Find(row, "messages") is not null)
        {
            return PassThrough(original, rowNumber, ExampleReader.ReadChat);
        }
        if (_options.Format == DatasetFormat.Preference && Find(row, "input") is { } input && IsStructured(input.Value)
            && (Find(row, "preferred_output") is not null || Find(row, "non_preferred_output") is not null))
        {
            return PassThrough(original, rowNumber, ExampleReader.ReadPreference);
        }

        if (row.Count == 1 && WrongDelimiter(row[0].Key) is char delimiter)
        {
            bool tab = delimiter == '\t';
            throw new FineTuneException(WrongDelimiterErrorId, FailureKind.InvalidData,
                $"Row {rowNumber} has a single column, named '{row[0].Key}': the file looks {(tab ? "tab" : $"'{delimiter}'")}-separated, but it was read with another delimiter, so no row can be converted.",
                rowNumber, tab ? "Read the file with its delimiter: Import-Csv -Delimiter \"`t\"." : $"Read the file with its delimiter: Import-Csv -Delimiter '{delimiter}'.");
        }

        bool preference = _options.Format == DatasetFormat.Preference;
        string user = Choose(row, _options.UserProperty, UserNames, rowNumber, "user text", "-UserProperty");
        string assistant = Choose(row, _options.AssistantProperty, preference ? PreferredNames.Concat(AssistantNames).ToArray() : AssistantNames, rowNumber,
            preference ? "preferred answer" : "assistant answer", "-AssistantProperty");
        string? nonPreferred = preference ? Choose(row, _options.NonPreferredProperty, NonPreferredNames, rowNumber, "non-preferred answer", "-NonPreferredProperty") : null;
        string? system = _options.Format == DatasetFormat.PromptCompletion ? null
            : _options.SystemProperty is not null ? Choose(row, _options.SystemProperty, SystemNames, rowNumber, "system message", "-SystemProperty")
            : SystemNames.Select(n => Find(row, n)?.Key).FirstOrDefault(n => n is not null);

        var mapping = new ColumnMapping(user, assistant, system, nonPreferred);
        if (!mapping.SameAs(_lastMapping))
        {
            newMapping = mapping;
            _lastMapping = mapping;
        }

        string userText = RequiredText(row, user, rowNumber);
        string assistantText = RequiredText(row, assistant, rowNumber);
        string? systemText = system is not null ? OptionalText(row, system, rowNumber) : null;
        if (string.IsNullOrWhiteSpace(systemText))
        {
            systemText = _options.SystemMessage;
        }

        switch (_options.Format)
        {
            case DatasetFormat.PromptCompletion:
                return new PromptCompletionExample(userText, assistantText);
            case DatasetFormat.Preference:
                var example = new PreferenceExample
                {
                    PreferredOutput = { new ChatMessage("assistant", assistantText) },
                    NonPreferredOutput = { new ChatMessage("assistant", RequiredText(row, nonPreferred!, rowNumber)) },
                };
                AddPrompt(example.Input.Messages, systemText, userText);
                return example;
            default:
                var chat = new ChatExample();
                AddPrompt(chat.Messages, systemText, userText);
                chat.Messages.Add(new ChatMessage("assistant", assistantText));
                return chat;
        }
    }

    private static void AddPrompt(List<ChatMessage> messages, string? system, string user)
    {
        if (!string.IsNullOrEmpty(system))
        {
            messages.Add(new ChatMessage("system", system));
        }
        messages.Add(new ChatMessage("user", user));
    }

    private IReadOnlyList<KeyValuePair<string, object?>> RowOf(object value, long rowNumber)
    {
        if (value is IReadOnlyList<KeyValuePair<string, object?>> pairs)
        {
            return pairs;
        }
        if (value is IDictionary dictionary)
        {
            return JsonGraphWriter.DictionaryEntries(dictionary).ToList();
        }
        if (_reader is not null && _reader.TryGetProperties(value, out IEnumerable<KeyValuePair<string, object?>> properties))
        {
            return properties.ToList();
        }
        throw RowError(rowNumber, $"Row {rowNumber} is a {value.GetType().Name} ('{value}'), not a row with named columns.",
            "Pipe objects with properties (Import-Csv rows, [pscustomobject], hashtables).");
    }

    private FineTuneExample PassThrough<T>(object row, long rowNumber, Func<JsonElement, T> read) where T : FineTuneExample
    {
        ReadOnlyMemory<byte> json;
        try
        {
            json = new JsonGraphWriter(_reader).ToUtf8(row);
        }
        catch (FineTuneException ex)
        {
            throw RowError(rowNumber, $"Row {rowNumber} cannot be read: {ex.Message}", ex.RecommendedAction);
        }
        catch (ArgumentException ex)
        {
            throw RowError(rowNumber, $"Row {rowNumber} cannot be read: {ex.Message}", "Shorten the values of the row.");
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = JsonValueParser.DefaultMaxDepth });
        }
        catch (JsonException ex)
        {
            throw RowError(rowNumber, $"Row {rowNumber} cannot be read as an example: {JsonValueParser.ParserReason(ex.Message)}.", "Flatten the data.");
        }
        using (document)
        {
            try
            {
                return read(document.RootElement);
            }
            catch (FineTuneException ex)
            {
                throw RowError(rowNumber, $"Row {rowNumber}: {ex.Message}", ex.RecommendedAction);
            }
        }
    }

    private string Choose(IReadOnlyList<KeyValuePair<string, object?>> row, string? given, string[] usualNames, long rowNumber, string what, string parameter)
    {
        if (given is not null)
        {
            return Find(row, given)?.Key
                ?? throw RowError(rowNumber, $"Row {rowNumber} has no column '{given}' (columns: {Columns(row)}).",
                    $"Check the name given to {parameter}.");
        }
        foreach (string name in usualNames)
        {
            if (Find(row, name) is { } found)
            {
                return found.Key;
            }
        }
        throw RowError(rowNumber, $"Row {rowNumber} has no column recognized as the {what} (looked for {string.Join(", ", usualNames)}; columns: {Columns(row)}).",
            $"Name the column with {parameter}.");
    }

    private string RequiredText(IReadOnlyList<KeyValuePair<string, object?>> row, string column, long rowNumber)
    {
        string? text = OptionalText(row, column, rowNumber);
        if (string.IsNullOrWhiteSpace(text))
        {
            throw RowError(rowNumber, $"Row {rowNumber}: the column '{column}' is empty.", "Fill in the value or remove the row.");
        }
        return text!;
    }

    private string? OptionalText(IReadOnlyList<KeyValuePair<string, object?>> row, string column, long rowNumber)
    {
        object? value = Find(row, column)?.Value;
        if (value is not null && _reader is not null)
        {
            value = _reader.Unwrap(value);
        }
        return value switch
        {
            null => null,
            string s => s,
            IFormattable formattable when value.GetType().IsPrimitive || value is decimal
                => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => throw RowError(rowNumber, $"Row {rowNumber}: the column '{column}' holds a {value.GetType().Name}, not text.",
                "Give a string, or select the text property first."),
        };
    }

    private static bool IsStructured(object? value) => value is not null and not string;

    private static KeyValuePair<string, object?>? Find(IReadOnlyList<KeyValuePair<string, object?>> row, string name)
    {
        for (int i = 0; i < row.Count; i++)
        {
            if (string.Equals(row[i].Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return row[i];
            }
        }
        return null;
    }

    private static string Columns(IReadOnlyList<KeyValuePair<string, object?>> row) =>
        row.Count == 0 ? "none" : string.Join(", ", row.Select(p => p.Key));

    /// <summary>The delimiter a lone column name holds, when rows were split on the wrong one ("Question;Answer").</summary>
    private static char? WrongDelimiter(string column)
    {
        foreach (char delimiter in new[] { ';', '\t', '|' })
        {
            if (column.IndexOf(delimiter) > 0)
            {
                return delimiter;
            }
        }
        return null;
    }

    private static FineTuneException RowError(long rowNumber, string message, string? fix) =>
        new("FineTune.Dataset.RowNotConvertible", FailureKind.InvalidData, message, rowNumber, fix);
}
