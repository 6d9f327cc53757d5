using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;
using FineTune.HelpGen;
using Xunit;

namespace FineTune.PowerShell.Tests;

/// <summary>The MAML file Get-Help reads is complete for every cmdlet and every parameter.</summary>
[Collection(ModuleCollection.Name)]
public sealed class HelpTests
{
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    private readonly ModuleFixture _module;
    private readonly Dictionary<string, XElement> _help;

    public HelpTests(ModuleFixture module)
    {
        _module = module;
        _help = XDocument.Load(ModulePaths.HelpFile).Root!.Elements(Command + "command")
            .ToDictionary(c => c.Element(Command + "details")!.Element(Command + "name")!.Value);
    }

    public static IEnumerable<object[]> CmdletNames() => CmdletConventionTests.CmdletNames();

    private XElement Help(string name) =>
        _help.TryGetValue(name, out XElement? help) ? help : throw new Xunit.Sdk.XunitException($"No help for {name}.");

    private static IEnumerable<string> Paragraphs(XElement? element) =>
        element?.Elements(Maml + "para").Select(p => p.Value.Trim()).Where(p => p.Length > 0) ?? Enumerable.Empty<string>();

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Has_a_synopsis_and_a_description(string name)
    {
        XElement help = Help(name);
        Assert.NotEmpty(Paragraphs(help.Element(Command + "details")!.Element(Maml + "description")));
        Assert.NotEmpty(Paragraphs(help.Element(Maml + "description")));
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Has_at_least_two_explained_examples(string name)
    {
        var examples = Help(name).Element(Command + "examples")!.Elements(Command + "example").ToList();
        Assert.True(examples.Count >= 2, $"{name} has {examples.Count} example(s).");
        foreach (XElement example in examples)
        {
            Assert.Contains(name, example.Element(Dev + "code")!.Value);
            Assert.NotEmpty(Paragraphs(example.Element(Dev + "remarks")));
        }
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Documents_every_parameter(string name)
    {
        CmdletModel cmdlet = _module.Cmdlets.Single(c => c.Name == name);
        var documented = Help(name).Element(Command + "parameters")!.Elements(Command + "parameter")
            .ToDictionary(p => p.Element(Maml + "name")!.Value, p => Paragraphs(p.Element(Maml + "description")).ToList());
        foreach (ParameterModel parameter in cmdlet.Parameters)
        {
            Assert.True(documented.TryGetValue(parameter.Name, out var text) && text.Count > 0, $"{name} -{parameter.Name} has no description.");
        }
        if (cmdlet.SupportsShouldProcess)
        {
            Assert.Contains("WhatIf", documented.Keys);
            Assert.Contains("Confirm", documented.Keys);
        }
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Lists_its_output_types(string name)
    {
        var returned = Help(name).Element(Command + "returnValues")!.Descendants(Maml + "name").Select(n => n.Value);
        Assert.Equal(_module.Cmdlets.Single(c => c.Name == name).OutputTypes.Distinct().OrderBy(t => t), returned.OrderBy(t => t));
    }
}
