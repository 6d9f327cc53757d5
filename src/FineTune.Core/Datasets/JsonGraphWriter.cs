using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Numerics;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace FineTune.Datasets;

/// <summary>
/// Writes any object graph as compact JSON: dictionaries and property bags as objects, other
/// enumerables as arrays, numbers exactly, dates as ISO 8601, enums by name, engine example
/// types in the service's wire shape. Walks the graph with an explicit stack, so depth never
/// overflows the call stack; a reference cycle or a runaway graph is a clear
/// <see cref="FineTuneException"/>, never a hang or a truncation.
/// </summary>
public sealed class JsonGraphWriter
{
    /// <summary>Objects nested deeper than this are an error (an endless graph), not truncated.</summary>
    public const int DefaultMaxDepth = 10_000;

    /// <summary>A record with more values than this is an error (an endless graph such as a file's parent directories).</summary>
    public const long DefaultMaxValues = 10_000_000;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = MinimalJsonEncoder.Instance,
        Indented = false,
        SkipValidation = true,
        MaxDepth = DefaultMaxDepth + 2,
    };

    /// <summary>
    /// Strings longer than this are escaped here and written raw: Utf8JsonWriter refuses
    /// string values above 166,666,666 characters, but a line within the reader's limit can
    /// hold a longer one, and whatever was read must be writable.
    /// </summary>
    internal const int LargeStringChars = 100_000_000;

    private readonly IJsonPropertyReader? _reader;
    private readonly int _maxDepth;
    private readonly long _maxValues;

    public JsonGraphWriter(IJsonPropertyReader? reader = null, int maxDepth = DefaultMaxDepth, long maxValues = DefaultMaxValues)
    {
        _reader = reader;
        _maxDepth = Math.Min(maxDepth, DefaultMaxDepth);
        _maxValues = maxValues;
    }

    /// <summary>Serializes <paramref name="value"/> as one compact JSON value (no line end).</summary>
    public void Write(Utf8JsonWriter writer, object? value)
    {
        var stack = new Stack<Frame>();
        var open = new HashSet<object>(ReferenceComparer.Instance);
        long values = 0;
        Begin(writer, value, stack, open);
        while (stack.Count > 0)
        {
            Frame frame = stack.Peek();
            if (frame.Properties is not null)
            {
                if (frame.Properties.MoveNext())
                {
                    KeyValuePair<string, object?> property = frame.Properties.Current;
                    frame.Key = property.Key;
                    CheckUnicode(property.Key, stack);
                    writer.WritePropertyName(property.Key);
                    CountValue(ref values, stack);
                    Begin(writer, property.Value, stack, open);
                    continue;
                }
                writer.WriteEndObject();
            }
            else
            {
                if (frame.Items!.MoveNext())
                {
                    frame.Index++;
                    CountValue(ref values, stack);
                    Begin(writer, frame.Items.Current, stack, open);
                    continue;
                }
                writer.WriteEndArray();
            }
            stack.Pop();
            open.Remove(frame.Container);
            (frame.Properties as IDisposable)?.Dispose();
            (frame.Items as IDisposable)?.Dispose();
        }
    }

    /// <summary>Serializes <paramref name="value"/> to a compact JSON string.</summary>
    public string ToJson(object? value)
    {
        using MemoryStream buffer = WriteToBuffer(value);
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Serializes <paramref name="value"/> to compact JSON as UTF-8.</summary>
    public ReadOnlyMemory<byte> ToUtf8(object? value)
    {
        MemoryStream buffer = WriteToBuffer(value);
        return new ReadOnlyMemory<byte>(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private MemoryStream WriteToBuffer(object? value)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            Write(writer, value);
        }
        return buffer;
    }

    internal static Utf8JsonWriter CreateUtf8Writer(Stream stream) => new(stream, WriterOptions);

    /// <summary>The JSON path of the value being written, like <c>$.messages[2].content</c>.</summary>
    private static string PathOf(Stack<Frame> stack)
    {
        var path = new System.Text.StringBuilder("$");
        Frame[] frames = stack.ToArray();
        for (int i = frames.Length - 1; i >= 0; i--)
        {
            if (frames[i].Properties is not null)
            {
                path.Append('.').Append(DisplayText.EscapeLine(frames[i].Key));
            }
            else
            {
                path.Append('[').Append(frames[i].Index - 1).Append(']');
            }
        }
        return path.ToString();
    }

    private void CountValue(ref long values, Stack<Frame> stack)
    {
        if (++values > _maxValues)
        {
            string path = PathOf(stack);
            throw new FineTuneException("FineTune.Dataset.GraphTooLarge", FailureKind.LimitsExceeded,
                $"The object has more than {_maxValues:N0} nested values (at {path}); it is probably an endless graph such as a file's parent directories.",
                recommendedAction: "Select the properties to export first, for example with Select-Object.");
        }
    }

    private void Begin(Utf8JsonWriter writer, object? value, Stack<Frame> stack, HashSet<object> open)
    {
        if (value is not null && _reader is not null)
        {
            value = _reader.Unwrap(value);
        }
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                return;
            case string s:
                CheckUnicode(s, stack);
                if (s.Length > LargeStringChars)
                {
                    writer.WriteRawValue(MinimalJsonEncoder.QuoteUtf8(s), skipInputValidation: true);
                    return;
                }
                writer.WriteStringValue(s);
                return;
            case char c:
                writer.WriteStringValue(c.ToString());
                return;
            case bool b:
                writer.WriteBooleanValue(b);
                return;
            case int i:
                writer.WriteNumberValue(i);
                return;
            case long l:
                writer.WriteNumberValue(l);
                return;
            case double d:
                WriteFloating(writer, d, stack);
                return;
            case float f:
                WriteFloating(writer, f, stack);
                return;
            case decimal m:
                writer.WriteNumberValue(m);
                return;
            case byte or sbyte or short or ushort or uint:
                writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                return;
            case ulong u:
                writer.WriteNumberValue(u);
                return;
            case JsonNumber number:
                writer.WriteRawValue(number.Text, skipInputValidation: true);
                return;
            case BigInteger big:
                writer.WriteRawValue(big.ToString(CultureInfo.InvariantCulture), skipInputValidation: true);
                return;
            case DateTime dt:
                writer.WriteStringValue(dt);
                return;
            case DateTimeOffset dto:
                writer.WriteStringValue(dto);
                return;
            case Guid g:
                writer.WriteStringValue(g);
                return;
            case TimeSpan ts:
                writer.WriteStringValue(ts.ToString("c", CultureInfo.InvariantCulture));
                return;
            case Enum e:
                writer.WriteStringValue(e.ToString());
                return;
            case Uri uri:
                writer.WriteStringValue(uri.OriginalString);
                return;
        }

        if (stack.Count >= _maxDepth)
        {
            string path = PathOf(stack);
            throw new FineTuneException("FineTune.Dataset.GraphTooDeep", FailureKind.LimitsExceeded,
                $"The object is nested more than {_maxDepth:N0} levels deep (at {path}); it is probably an endless graph.",
                recommendedAction: "Select the properties to export first, for example with Select-Object.");
        }
        if (!value.GetType().IsValueType && !open.Add(value))
        {
            string path = PathOf(stack);
            throw new FineTuneException("FineTune.Dataset.Cycle", FailureKind.InvalidData,
                $"The object refers back to itself at {path}; JSON cannot represent a cycle.",
                recommendedAction: "Remove the self-reference or select the properties to export.");
        }

        IEnumerable<KeyValuePair<string, object?>>? properties = null;
        if (value is IWireObject wire)
        {
            properties = wire.GetWireProperties();
        }
        else if (value is IEnumerable<KeyValuePair<string, object?>> ordered)
        {
            properties = ordered; // JsonObjectValue and other ordered property lists
        }
        else if (value is IDictionary dictionary)
        {
            properties = DictionaryEntries(dictionary);
        }
        else if (_reader is not null && _reader.TryGetProperties(value, out IEnumerable<KeyValuePair<string, object?>> hostProperties))
        {
            properties = hostProperties;
        }
        else if (value is IEnumerable items)
        {
            writer.WriteStartArray();
            stack.Push(new Frame(value, null, items.GetEnumerator()));
            return;
        }
        else
        {
            properties = PublicProperties(value);
        }
        writer.WriteStartObject();
        stack.Push(new Frame(value, properties.GetEnumerator(), null));
    }

    /// <summary>
    /// An unpaired surrogate cannot be written as UTF-8; the encoder would silently put U+FFFD
    /// in its place, so it is an error instead.
    /// </summary>
    private static void CheckUnicode(string text, Stack<Frame> stack)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c < '\uD800' || c > '\uDFFF')
            {
                continue;
            }
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }
            string path = PathOf(stack);
            throw new FineTuneException("FineTune.Dataset.InvalidUnicode", FailureKind.InvalidData,
                $"The text at {path} contains an unpaired surrogate (U+{(int)c:X4} at character {i + 1}), which is not valid Unicode and cannot be written as UTF-8.",
                recommendedAction: "Fix the text where it was produced (often a string cut in the middle of an emoji).");
        }
    }

    private static void WriteFloating(Utf8JsonWriter writer, double d, Stack<Frame> stack)
    {
        if (double.IsNaN(d) || double.IsInfinity(d))
        {
            string path = PathOf(stack);
            throw new FineTuneException("FineTune.Dataset.NonFiniteNumber", FailureKind.InvalidData,
                $"The number at {path} is {d.ToString(CultureInfo.InvariantCulture)}, which JSON cannot represent.",
                recommendedAction: "Replace NaN or infinity with null or a finite number.");
        }
        writer.WriteNumberValue(d);
    }

    /// <summary>A dictionary's entries with keys as invariant strings.</summary>
    internal static IEnumerable<KeyValuePair<string, object?>> DictionaryEntries(IDictionary dictionary)
    {
        foreach (DictionaryEntry entry in dictionary)
        {
            yield return new KeyValuePair<string, object?>(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty, entry.Value);
        }
    }

    private static IEnumerable<KeyValuePair<string, object?>> PublicProperties(object value)
    {
        foreach (PropertyInfo property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (!property.CanRead || property.GetIndexParameters().Length > 0)
            {
                continue;
            }
            object? item;
            try
            {
                item = property.GetValue(value);
            }
            catch (TargetInvocationException)
            {
                continue; // a getter that throws (like ConvertTo-Json, skip what cannot be read)
            }
            yield return new KeyValuePair<string, object?>(property.Name, item);
        }
    }

    private sealed class Frame
    {
        public Frame(object container, IEnumerator<KeyValuePair<string, object?>>? properties, IEnumerator? items)
        {
            Container = container;
            Properties = properties;
            Items = items;
        }

        public object Container { get; }
        public string? Key { get; set; }
        public IEnumerator<KeyValuePair<string, object?>>? Properties { get; }
        public IEnumerator? Items { get; }
        public int Index { get; set; }
    }

    private sealed class ReferenceComparer : IEqualityComparer<object>
    {
        public static readonly ReferenceComparer Instance = new();

        public new bool Equals(object? x, object? y) => ReferenceEquals(x, y);

        public int GetHashCode(object obj) => RuntimeHelpers.GetHashCode(obj);
    }
}
