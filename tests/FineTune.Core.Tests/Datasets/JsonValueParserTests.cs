using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using System.Text;
using FineTune.Datasets;
using Xunit;

namespace FineTune.Core.Tests.Datasets;

public class JsonValueParserTests
{
    private static JsonObjectValue Parse(string json)
    {
        Assert.True(JsonValueParser.TryParseObject(Encoding.UTF8.GetBytes(json), out JsonObjectValue? value, out JsonLineError? error), error?.ToString());
        return value!;
    }

    private static JsonLineError Fail(string json)
    {
        Assert.False(JsonValueParser.TryParseObject(Encoding.UTF8.GetBytes(json), out _, out JsonLineError? error));
        return error!;
    }

    [Fact]
    public void Keeps_property_order_and_nesting()
    {
        JsonObjectValue value = Parse("{\"z\":1,\"a\":{\"y\":[1,\"two\",null,true,false,{\"k\":[]}]},\"m\":\"é😀\"}");
        Assert.Equal(new[] { "z", "a", "m" }, value.Select(p => p.Key));
        var inner = (JsonObjectValue)value[1].Value!;
        var list = (List<object?>)inner[0].Value!;
        Assert.Equal(new object?[] { 1L, "two", null, true, false }, list.Take(5));
        Assert.Empty((List<object?>)((JsonObjectValue)list[5]!)[0].Value!);
        Assert.Equal("é😀", value[2].Value);
    }

    [Theory]
    [InlineData("12345678901234", typeof(long), "12345678901234")]
    [InlineData("-9223372036854775808", typeof(long), "-9223372036854775808")]
    [InlineData("9223372036854775808", typeof(BigInteger), "9223372036854775808")]
    [InlineData("123456789012345678901234567890", typeof(BigInteger), "123456789012345678901234567890")]
    [InlineData("0.1", typeof(double), "0.1")]
    [InlineData("-0", typeof(double), "-0")]
    [InlineData("0", typeof(long), "0")]
    [InlineData("2.5E-05", typeof(double), "2.5E-05")]
    [InlineData("1.10", typeof(decimal), "1.10")]
    [InlineData("1.0", typeof(decimal), "1.0")]
    [InlineData("3.14159265358979323846264338", typeof(decimal), "3.14159265358979323846264338")]
    public void Keeps_numbers_exact(string text, System.Type type, string written)
    {
        object? number = Parse("{\"n\":" + text + "}")[0].Value;
        Assert.IsType(type, number);
        Assert.Equal("{\"n\":" + written + "}", new JsonGraphWriter().ToJson(Parse("{\"n\":" + text + "}")));
    }

    [Theory]
    [InlineData("[1,2]", "NotAnObject", 1)]
    [InlineData("\"text\"", "NotAnObject", 1)]
    [InlineData("  42", "NotAnObject", 3)]
    [InlineData("{\"a\":1", "InvalidJson", 7)]
    [InlineData("{\"a\":1}x", "InvalidJson", 8)]
    [InlineData("{\"a\":tru}", "InvalidJson", 9)]
    [InlineData("{\"é\":1,\"é\":2}", "DuplicateKey", 8)]
    [InlineData("", "InvalidJson", 1)]
    public void Reports_code_and_column(string json, string code, long column)
    {
        JsonLineError error = Fail(json);
        Assert.Equal(code, error.Code);
        Assert.Equal(column, error.Column);
        Assert.False(string.IsNullOrWhiteSpace(error.Reason));
        Assert.DoesNotContain("LineNumber", error.Reason);
    }

    [Fact]
    public void A_thousand_levels_deep_is_a_clear_error()
    {
        string deep = "{\"a\":" + new string('[', 1000) + new string(']', 1000) + "}";
        JsonLineError error = Fail(deep);
        Assert.Equal("NestingTooDeep", error.Code);
        Assert.Contains("256", error.Reason);
    }

    [Fact]
    public void Nesting_up_to_the_limit_is_kept()
    {
        string deep = "{\"a\":" + new string('[', 255) + new string(']', 255) + "}";
        Assert.Equal(deep, new JsonGraphWriter().ToJson(Parse(deep)));
    }

    [Fact]
    public void Many_keys_stay_linear_and_duplicates_are_found()
    {
        string json = "{" + string.Join(",", Enumerable.Range(0, 50_000).Select(i => $"\"k{i}\":{i}")) + ",\"k123\":0}";
        Assert.Equal("DuplicateKey", Fail(json).Code);
    }

    [Fact]
    public void Case_insensitive_comparer_finds_keys_that_differ_in_case()
    {
        byte[] json = Encoding.UTF8.GetBytes("{\"Name\":1,\"name\":2}");
        Assert.True(JsonValueParser.TryParseObject(json, out _, out _));
        Assert.False(JsonValueParser.TryParseObject(json, out _, out JsonLineError? error, keyComparer: System.StringComparer.OrdinalIgnoreCase));
        Assert.Equal("DuplicateKey", error!.Code);
    }
}
