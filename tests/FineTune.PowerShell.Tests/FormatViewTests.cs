using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;
using Xunit;

namespace FineTune.PowerShell.Tests;

[Collection(ModuleCollection.Name)]
public sealed class FormatViewTests
{
    private readonly ModuleFixture _module;

    public FormatViewTests(ModuleFixture module) => _module = module;

    [Fact]
    public void Every_FineTune_output_type_has_a_default_table_view()
    {
        XDocument format = XDocument.Load(ModulePaths.FormatFile);
        var tableViews = format.Descendants("View")
            .Where(view => view.Element("TableControl") is not null)
            .SelectMany(view => view.Element("ViewSelectedBy")!.Elements("TypeName").Select(t => t.Value.Trim()))
            .ToHashSet();
        var ownTypes = _module.Cmdlets.SelectMany(c => c.OutputTypes).Where(t => t.StartsWith("FineTune.")).Distinct().ToList();
        Assert.NotEmpty(ownTypes);
        var missing = ownTypes.Where(t => !tableViews.Contains(t)).ToList();
        Assert.True(missing.Count == 0, "No table view for: " + string.Join(", ", missing));
    }

    [Fact]
    public void Table_views_name_only_properties_their_type_has()
    {
        XDocument format = XDocument.Load(ModulePaths.FormatFile);
        var problems = new List<string>();
        foreach (XElement view in format.Descendants("View").Where(v => v.Element("TableControl") is not null))
        {
            string typeName = view.Element("ViewSelectedBy")!.Element("TypeName")!.Value.Trim();
            IReadOnlyList<string>? properties = _module.Reader.PropertyNames(typeName);
            if (properties is null)
            {
                problems.Add($"{typeName}: no such type in the module");
                continue;
            }
            foreach (string property in view.Descendants("PropertyName").Select(p => p.Value.Trim()))
            {
                if (!properties.Contains(property))
                {
                    problems.Add($"{typeName}.{property}");
                }
            }
        }
        Assert.True(problems.Count == 0, "Views name missing properties: " + string.Join(", ", problems));
    }
}
