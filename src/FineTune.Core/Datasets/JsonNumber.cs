using System;
using System.Globalization;
using System.Text.Json;

namespace FineTune.Datasets;

/// <summary>
/// A JSON number kept exactly as it was written, for the numbers no .NET number type
/// reproduces: <c>1e999</c> (beyond double), <c>1e-999</c> (below it),
/// <c>12345678901234567890.12345678901234567890</c> (more digits than decimal), <c>1E5</c>
/// (written differently). <see cref="JsonValueParser"/> returns one for such a number and
/// <see cref="JsonGraphWriter"/> writes its <see cref="Text"/> back unchanged, so reading and
/// writing a line never changes a number. It converts to the nearest double (or decimal) when
/// used in arithmetic.
/// </summary>
public sealed class JsonNumber : IEquatable<JsonNumber>, IComparable, IComparable<JsonNumber>, IConvertible, IFormattable
{
    /// <param name="text">A JSON number such as <c>-1.5e300</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="text"/> is not one JSON number.</exception>
    public JsonNumber(string text)
    {
        if (!IsJsonNumber(text))
        {
            throw new ArgumentException($"'{DisplayText.EscapeLine(text)}' is not a JSON number.", nameof(text));
        }
        Text = text;
    }

    private JsonNumber(string text, bool validated) => Text = text;

    /// <summary>The number as written in the JSON text.</summary>
    public string Text { get; }

    internal static JsonNumber FromValidatedText(string text) => new(text, validated: true);

    /// <summary>The nearest double: infinity beyond its range, zero below it.</summary>
    public double ToDouble()
    {
        try
        {
            return double.Parse(Text, NumberStyles.Float, CultureInfo.InvariantCulture);
        }
        catch (OverflowException)
        {
            return Text.StartsWith("-", StringComparison.Ordinal) ? double.NegativeInfinity : double.PositiveInfinity; // .NET Framework
        }
    }

    public static explicit operator double(JsonNumber number) => number.ToDouble();

    // Arithmetic (PowerShell's operators look for these) is done on the nearest double.
    public static double operator +(JsonNumber left, double right) => left.ToDouble() + right;
    public static double operator +(double left, JsonNumber right) => left + right.ToDouble();
    public static double operator +(JsonNumber left, JsonNumber right) => left.ToDouble() + right.ToDouble();
    public static double operator -(JsonNumber left, double right) => left.ToDouble() - right;
    public static double operator -(double left, JsonNumber right) => left - right.ToDouble();
    public static double operator -(JsonNumber left, JsonNumber right) => left.ToDouble() - right.ToDouble();
    public static double operator -(JsonNumber value) => -value.ToDouble();
    public static double operator *(JsonNumber left, double right) => left.ToDouble() * right;
    public static double operator *(double left, JsonNumber right) => left * right.ToDouble();
    public static double operator *(JsonNumber left, JsonNumber right) => left.ToDouble() * right.ToDouble();
    public static double operator /(JsonNumber left, double right) => left.ToDouble() / right;
    public static double operator /(double left, JsonNumber right) => left / right.ToDouble();
    public static double operator /(JsonNumber left, JsonNumber right) => left.ToDouble() / right.ToDouble();
    public static double operator %(JsonNumber left, double right) => left.ToDouble() % right;
    public static double operator %(double left, JsonNumber right) => left % right.ToDouble();
    public static double operator %(JsonNumber left, JsonNumber right) => left.ToDouble() % right.ToDouble();

    public override string ToString() => Text;

    public string ToString(string? format, IFormatProvider? formatProvider) => Text;

    public bool Equals(JsonNumber? other) => other is not null && string.Equals(Text, other.Text, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is JsonNumber other && Equals(other);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Text);

    public int CompareTo(JsonNumber? other) => other is null ? 1 : ToDouble().CompareTo(other.ToDouble());

    public int CompareTo(object? obj) => obj switch
    {
        null => 1,
        JsonNumber number => CompareTo(number),
        IConvertible convertible => ToDouble().CompareTo(convertible.ToDouble(CultureInfo.InvariantCulture)),
        _ => throw new ArgumentException("The value is not a number.", nameof(obj)),
    };

    TypeCode IConvertible.GetTypeCode() => TypeCode.Object;

    bool IConvertible.ToBoolean(IFormatProvider? provider) => ToDouble() != 0;

    byte IConvertible.ToByte(IFormatProvider? provider) => Convert.ToByte(ToDecimal(), provider);

    char IConvertible.ToChar(IFormatProvider? provider) => throw new InvalidCastException("A number is not a character.");

    DateTime IConvertible.ToDateTime(IFormatProvider? provider) => throw new InvalidCastException("A number is not a date.");

    decimal IConvertible.ToDecimal(IFormatProvider? provider) => ToDecimal();

    double IConvertible.ToDouble(IFormatProvider? provider) => ToDouble();

    short IConvertible.ToInt16(IFormatProvider? provider) => Convert.ToInt16(ToDecimal(), provider);

    int IConvertible.ToInt32(IFormatProvider? provider) => Convert.ToInt32(ToDecimal(), provider);

    long IConvertible.ToInt64(IFormatProvider? provider) => Convert.ToInt64(ToDecimal(), provider);

    sbyte IConvertible.ToSByte(IFormatProvider? provider) => Convert.ToSByte(ToDecimal(), provider);

    float IConvertible.ToSingle(IFormatProvider? provider) => (float)ToDouble();

    string IConvertible.ToString(IFormatProvider? provider) => Text;

    object IConvertible.ToType(Type conversionType, IFormatProvider? provider) =>
        conversionType == typeof(JsonNumber) || conversionType == typeof(object) ? this
        : conversionType == typeof(string) ? Text
        : Convert.ChangeType(ToDouble(), conversionType, provider);

    ushort IConvertible.ToUInt16(IFormatProvider? provider) => Convert.ToUInt16(ToDecimal(), provider);

    uint IConvertible.ToUInt32(IFormatProvider? provider) => Convert.ToUInt32(ToDecimal(), provider);

    ulong IConvertible.ToUInt64(IFormatProvider? provider) => Convert.ToUInt64(ToDecimal(), provider);

    /// <summary>The nearest decimal (rounded to its 28-29 digits); an <see cref="OverflowException"/> beyond its range.</summary>
    public decimal ToDecimal() => decimal.Parse(Text, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static bool IsJsonNumber(string? text)
    {
        if (string.IsNullOrEmpty(text) || char.IsWhiteSpace(text![0]) || char.IsWhiteSpace(text[text.Length - 1]))
        {
            return false;
        }
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(text));
        try
        {
            return reader.Read() && reader.TokenType == JsonTokenType.Number && !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
