using System;
using System.Collections.Generic;
using System.Linq;
using FineTune.HelpGen;
using Xunit;

namespace FineTune.PowerShell.Tests;

/// <summary>
/// The pipelines the design promises work without script blocks: each producer's output
/// binds to a parameter of the consumer by value or by property name (or alias).
/// </summary>
[Collection(ModuleCollection.Name)]
public sealed class PipelineBindingTests
{
    /// <summary>What Get-ChildItem emits for a file, as PowerShell's parameter binder sees it.</summary>
    private static readonly string[] FileInfoProperties = { "PSPath", "FullName", "Name", "Length", "Extension", "DirectoryName" };

    private static readonly HashSet<string> AnyObjectTypes = new(StringComparer.Ordinal)
    {
        "System.Object", "System.Object[]", "System.Management.Automation.PSObject", "System.Management.Automation.PSObject[]",
    };

    private readonly ModuleFixture _module;

    public PipelineBindingTests(ModuleFixture module) => _module = module;

    [Theory]
    [InlineData("Get-ChildItem", "Import-Jsonl")]
    [InlineData("Get-ChildItem", "Test-FineTuneDataset")]
    [InlineData("Get-ChildItem", "Measure-FineTuneDataset")]
    [InlineData("Get-ChildItem", "Send-FineTuneFile")]
    [InlineData("Import-Csv", "ConvertTo-FineTuneExample")]
    [InlineData("Import-Jsonl", "ConvertTo-FineTuneExample")]
    [InlineData("ConvertTo-FineTuneExample", "Export-Jsonl")]
    [InlineData("ConvertTo-FineTuneExample", "Test-FineTuneDataset")]
    [InlineData("Import-Jsonl", "Export-Jsonl")]
    [InlineData("Measure-FineTuneDataset", "Measure-FineTuneCost")]
    [InlineData("Send-FineTuneFile", "New-FineTuneJob")]
    [InlineData("Get-FineTuneFile", "Save-FineTuneFile")]
    [InlineData("Get-FineTuneFile", "Remove-FineTuneFile")]
    [InlineData("Get-FineTuneJob", "Wait-FineTuneJob")]
    [InlineData("Wait-FineTuneJob", "Get-FineTuneMetric")]
    [InlineData("Get-FineTuneJob", "Get-FineTuneEvent")]
    [InlineData("Get-FineTuneJob", "Get-FineTuneCheckpoint")]
    [InlineData("Get-FineTuneJob", "Stop-FineTuneJob")]
    [InlineData("Get-FineTuneJob", "Suspend-FineTuneJob")]
    [InlineData("Get-FineTuneJob", "Resume-FineTuneJob")]
    [InlineData("New-FineTuneJob", "Wait-FineTuneJob")]
    [InlineData("Get-FineTuneJob", "Export-FineTuneArchive")]
    [InlineData("Import-FineTuneArchive", "New-FineTuneJob")]
    [InlineData("Get-ChildItem", "Import-FineTuneArchive")]
    [InlineData("Split-FineTuneDataset", "Compare-FineTuneModel")]
    [InlineData("ConvertTo-FineTuneExample", "Compare-FineTuneModel")]
    [InlineData("Compare-FineTuneModel", "Export-FineTuneReport")]
    [InlineData("Get-FineTuneJob", "Export-FineTuneReport")]
    [InlineData("Get-FineTuneMetric", "Export-FineTuneReport")]
    public void Producer_output_binds_to_consumer(string producer, string consumer)
    {
        CmdletModel target = _module.Cmdlets.SingleOrDefault(c => c.Name == consumer)
            ?? throw new Xunit.Sdk.XunitException($"{consumer} is not in the module.");
        var bindings = new List<string>();
        foreach ((string typeName, IReadOnlyList<string> properties) in Outputs(producer))
        {
            foreach (ParameterModel parameter in target.Parameters)
            {
                foreach (ParameterSetModel set in parameter.Sets)
                {
                    if (set.ValueFromPipeline && (AnyObjectTypes.Contains(parameter.TypeFullName)
                        || _module.Reader.SelfAndBaseTypeNames(typeName).Contains(parameter.TypeFullName.Replace("[]", ""))))
                    {
                        bindings.Add($"{typeName} -> -{parameter.Name} (ByValue)");
                    }
                    if (set.ValueFromPipelineByPropertyName)
                    {
                        string? match = properties.FirstOrDefault(p => p.Equals(parameter.Name, StringComparison.OrdinalIgnoreCase)
                            || parameter.Aliases.Contains(p, StringComparer.OrdinalIgnoreCase));
                        if (match is not null)
                        {
                            bindings.Add($"{typeName}.{match} -> -{parameter.Name} (ByPropertyName)");
                        }
                    }
                }
            }
        }
        Assert.True(bindings.Count > 0, $"Nothing {producer} writes binds to a parameter of {consumer}.");
    }

    private IEnumerable<(string TypeName, IReadOnlyList<string> Properties)> Outputs(string producer)
    {
        switch (producer)
        {
            case "Get-ChildItem":
                yield return ("System.IO.FileInfo", FileInfoProperties);
                yield break;
            case "Import-Csv":
                yield return ("System.Management.Automation.PSObject", Array.Empty<string>());
                yield break;
        }
        CmdletModel source = _module.Cmdlets.SingleOrDefault(c => c.Name == producer)
            ?? throw new Xunit.Sdk.XunitException($"{producer} is not in the module.");
        foreach (string typeName in source.OutputTypes)
        {
            yield return (typeName, _module.Reader.PropertyNames(typeName) ?? (IReadOnlyList<string>)Array.Empty<string>());
        }
    }
}
