using System.Collections.Generic;
using Xunit;

namespace FineTune.Tests.Collections;

public sealed class ValueCollectionTests
{
    [Fact]
    public void ValueList_ReadsAsItsItems_AndStaysAList()
    {
        ValueList<string> methods = ValueList<string>.Of(new[] { "supervised", "dpo" });
        Assert.Equal("supervised; dpo", methods.ToString());
        Assert.Equal("dpo", methods[1]);
        Assert.Equal(string.Empty, ValueList<string>.None.ToString());
    }

    [Fact]
    public void ValueList_IsACopy()
    {
        var source = new List<string> { "a" };
        ValueList<string> copy = ValueList<string>.Of(source);
        source.Add("b");
        Assert.Single(copy);
    }

    [Fact]
    public void ValueMap_ReadsAsItsPairsInOrder_AndLooksUpByKey()
    {
        ValueMap map = ValueMap.Of(new[] { new KeyValuePair<string, string>("team", "it"), new KeyValuePair<string, string>("run", "3") });
        Assert.Equal("team=it; run=3", map.ToString());
        Assert.Equal("3", map["run"]);
        Assert.Equal(string.Empty, ValueMap.None.ToString());
    }
}
