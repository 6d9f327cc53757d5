using System;
using System.Collections.Generic;
using System.Globalization;
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
        ValueMap<string> map = ValueMap<string>.Of(new[] { new KeyValuePair<string, string>("team", "it"), new KeyValuePair<string, string>("run", "3") });
        Assert.Equal("team=it; run=3", map.ToString());
        Assert.Equal("3", map["run"]);
        Assert.Equal(string.Empty, ValueMap<string>.None.ToString());
    }

    [Fact]
    public void ValueMap_OfDecimals_ReadsInTheInvariantCulture_AndKeepsItsComparer()
    {
        CultureInfo saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            ValueMap<decimal> prices = ValueMap<decimal>.Of(new[] { new KeyValuePair<string, decimal>("GlobalStandard", 1.7m), new KeyValuePair<string, decimal>("DeveloperTier", 0m) }, StringComparer.OrdinalIgnoreCase);
            Assert.Equal("GlobalStandard=1.7; DeveloperTier=0", prices.ToString());
            Assert.Equal(1.7m, prices["globalstandard"]);
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }
}
