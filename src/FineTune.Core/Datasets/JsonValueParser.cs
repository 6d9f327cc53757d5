using System;
using System.Collections.Generic;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace FineTune.Datasets;

/// <summary>
/// Parses one JSONL line into a <see cref="JsonObjectValue"/> without recursion, keeping
/// numbers exactly as written: integers as <see cref="long"/> (or <see cref="BigInteger"/>
/// beyond it), fractions as <see cref="double"/> when its shortest form is the text in the
/// file, else as <see cref="decimal"/> when that is (so <c>1.10</c> stays <c>1.10</c>), and any
/// other number (<c>1e999</c>, <c>1e-999</c>, 40 significant digits, <c>1E5</c>) as a
/// <see cref="JsonNumber"/> holding its text.
/// </summary>
public static class JsonValueParser
{
    /// <summary>Nesting deeper than this is reported as <c>NestingTooDeep</c>, not parsed.</summary>
    public const int DefaultMaxDepth = 256;

    /// <summary>
    /// Parses <paramref name="line"/>; on failure returns false with <paramref name="error"/>
    /// set. Keys that are equal under <paramref name="keyComparer"/> (default ordinal) are a
    /// <c>DuplicateKey</c> error.
    /// </summary>
    public static bool TryParseObject(ReadOnlySpan<byte> line, out JsonObjectValue? value, out JsonLineError? error,
        int maxDepth = DefaultMaxDepth, StringComparer? keyComparer = null)
    {
        value = null;
        error = null;
        int invalid = Utf8Validation.IndexOfInvalid(line);
        if (invalid >= 0)
        {
            error = new JsonLineError("InvalidUtf8", Utf8Validation.ColumnOf(line, invalid),
                $"invalid UTF-8 byte 0x{line[invalid]:X2}; save the file as UTF-8");
            return false;
        }
        keyComparer ??= StringComparer.Ordinal;
        var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = maxDepth + 1, CommentHandling = JsonCommentHandling.Disallow });
        var stack = new Stack<object>();
        string? pendingName = null;
        object? root = null;
        try
        {
            while (reader.Read())
            {
                object? item;
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        pendingName = reader.GetString()!;
                        if (HasKey((JsonObjectValue)stack.Peek(), pendingName, keyComparer))
                        {
                            error = new JsonLineError("DuplicateKey", Utf8Validation.ColumnOf(line, reader.TokenStartIndex),
                                $"the key \"{DisplayText.Escape(pendingName)}\" appears twice in the same object; keep only one");
                            return false;
                        }
                        continue;
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        if (stack.Count == 0 && reader.TokenType == JsonTokenType.StartArray)
                        {
                            error = NotAnObject(line, reader.TokenStartIndex, "an array");
                            return false;
                        }
                        if (stack.Count >= maxDepth)
                        {
                            error = new JsonLineError("NestingTooDeep", Utf8Validation.ColumnOf(line, reader.TokenStartIndex),
                                $"objects and arrays are nested more than {maxDepth} levels deep; flatten the data");
                            return false;
                        }
                        object container = reader.TokenType == JsonTokenType.StartObject ? new JsonObjectValue() : new List<object?>();
                        if (stack.Count > 0)
                        {
                            AddTo(stack.Peek(), pendingName, container);
                        }
                        stack.Push(container);
                        pendingName = null;
                        continue;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        object done = stack.Pop();
                        if (stack.Count == 0)
                        {
                            root = done;
                        }
                        continue;
                    case JsonTokenType.String:
                        item = reader.GetString();
                        break;
                    case JsonTokenType.Number:
                        item = ConvertNumber(reader.ValueSpan);
                        break;
                    case JsonTokenType.True:
                        item = true;
                        break;
                    case JsonTokenType.False:
                        item = false;
                        break;
                    case JsonTokenType.Null:
                        item = null;
                        break;
                    default:
                        continue;
                }
                if (stack.Count == 0)
                {
                    error = NotAnObject(line, reader.TokenStartIndex, reader.TokenType switch
                    {
                        JsonTokenType.String => "a string",
                        JsonTokenType.Number => "a number",
                        JsonTokenType.Null => "null",
                        _ => "a Boolean",
                    });
                    return false;
                }
                AddTo(stack.Peek(), pendingName, item);
                pendingName = null;
            }
        }
        catch (JsonException ex)
        {
            error = new JsonLineError("InvalidJson", Utf8Validation.ColumnOf(line, ex.BytePositionInLine ?? reader.BytesConsumed), ParserReason(ex.Message));
            return false;
        }
        catch (InvalidOperationException ex)
        {
            // GetString refuses an escaped lone surrogate: say so as the validator does.
            error = FindUnpairedSurrogate(line)
                ?? new JsonLineError("InvalidJson", Utf8Validation.ColumnOf(line, reader.TokenStartIndex), ParserReason(ex.Message));
            return false;
        }
        if (root is not JsonObjectValue obj)
        {
            error = new JsonLineError("InvalidJson", Utf8Validation.ColumnOf(line, line.Length), "the line ends before the JSON object is complete");
            return false;
        }
        value = obj;
        return true;
    }

    /// <summary>The exact .NET value of a JSON number token.</summary>
    public static object ConvertNumber(ReadOnlySpan<byte> raw)
    {
        bool integral = raw.IndexOfAny((byte)'.', (byte)'e', (byte)'E') < 0;
        if (integral && System.Buffers.Text.Utf8Parser.TryParse(raw, out long fast, out int consumed) && consumed == raw.Length)
        {
            return fast == 0 && raw[0] == (byte)'-' ? (object)(-0.0) : fast; // keep the sign of -0
        }
        string text = Encoding.UTF8.GetString(raw.ToArray());
        if (integral)
        {
            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long integer))
            {
                return integer;
            }
            return BigInteger.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        }
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double number)
            && !double.IsInfinity(number)
            && string.Equals(number.ToString("R", CultureInfo.InvariantCulture), text, StringComparison.Ordinal))
        {
            return number;
        }
        if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out decimal exact)
            && string.Equals(exact.ToString(CultureInfo.InvariantCulture), text, StringComparison.Ordinal))
        {
            return exact;
        }
        return JsonNumber.FromValidatedText(text);
    }

    /// <summary>
    /// The first <c>\uD800</c>-<c>\uDFFF</c> escape of <paramref name="json"/> that is not half of
    /// a high-low pair, as an <c>InvalidJson</c> error; null when there is none. Expects text
    /// that is otherwise valid JSON (a backslash is then always inside a string).
    /// </summary>
    [MethodImpl(HotPath.Optimize)]
    public static JsonLineError? FindUnpairedSurrogate(ReadOnlySpan<byte> json)
    {
        int i = 0;
        while (true)
        {
            int escape = json.Slice(i).IndexOf("\\u"u8);
            if (escape < 0)
            {
                return null;
            }
            i += escape;
            if (IsEscaped(json, i))
            {
                i += 2; // an escaped backslash followed by the letter u
                continue;
            }
            int unit = Hex4(json, i + 2);
            if (unit >= 0xD800 && unit <= 0xDBFF && i + 12 <= json.Length && json[i + 6] == (byte)'\\' && json[i + 7] == (byte)'u'
                && Hex4(json, i + 8) is int low && low >= 0xDC00 && low <= 0xDFFF)
            {
                i += 12;
                continue;
            }
            if (unit >= 0xD800 && unit <= 0xDFFF)
            {
                return new JsonLineError("InvalidJson", Utf8Validation.ColumnOf(json, i),
                    $"\\u{unit:X4} is half of a surrogate pair without its other half, which is not valid Unicode; remove it or write the whole character");
            }
            i += 2;
        }
    }

    /// <summary>Whether the backslash at <paramref name="at"/> is itself escaped: an odd run of backslashes precedes it.</summary>
    private static bool IsEscaped(ReadOnlySpan<byte> json, int at)
    {
        int run = 0;
        while (at - run - 1 >= 0 && json[at - run - 1] == (byte)'\\')
        {
            run++;
        }
        return (run & 1) == 1;
    }

    /// <summary>The four hex digits at <paramref name="at"/> as a number, or -1 when they are not four hex digits.</summary>
    internal static int Hex4(ReadOnlySpan<byte> json, int at)
    {
        if (at + 4 > json.Length)
        {
            return -1;
        }
        int value = 0;
        for (int k = 0; k < 4; k++)
        {
            int digit = HexDigit(json[at + k]);
            if (digit < 0)
            {
                return -1;
            }
            value = (value << 4) | digit;
        }
        return value;
    }

    private static int HexDigit(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };

    private static bool HasKey(JsonObjectValue obj, string name, StringComparer comparer)
    {
        // Small objects: a linear scan; large ones get a key set so a line with many keys stays linear.
        if (obj.KeyIndex is null && obj.Count < 16)
        {
            for (int i = 0; i < obj.Count; i++)
            {
                if (comparer.Equals(obj[i].Key, name))
                {
                    return true;
                }
            }
            return false;
        }
        if (obj.KeyIndex is null)
        {
            obj.KeyIndex = new HashSet<string>(comparer);
            foreach (KeyValuePair<string, object?> property in obj)
            {
                obj.KeyIndex.Add(property.Key);
            }
        }
        return !obj.KeyIndex.Add(name);
    }

    private static void AddTo(object container, string? name, object? item)
    {
        if (container is JsonObjectValue obj)
        {
            obj.Add(name!, item);
        }
        else
        {
            ((List<object?>)container).Add(item);
        }
    }

    private static JsonLineError NotAnObject(ReadOnlySpan<byte> line, long index, string what) =>
        new("NotAnObject", Utf8Validation.ColumnOf(line, index), $"the line is {what}, not a JSON object; each line must be one {{...}} object");

    /// <summary>The parser's sentence without its own (line-relative) position suffix.</summary>
    internal static string ParserReason(string message)
    {
        int cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        string reason = cut > 0 ? message.Substring(0, cut) : message;
        return reason.TrimEnd('.', ' ');
    }
}
