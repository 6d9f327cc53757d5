using System.Linq;
using Xunit;

namespace FineTune.PowerShell.Tests;

[Collection(ModuleCollection.Name)]
public sealed class ManifestTests
{
    private readonly ModuleFixture _module;
    private readonly ManifestReader _manifest = new(ModulePaths.Manifest);

    public ManifestTests(ModuleFixture module) => _module = module;

    [Fact]
    public void CmdletsToExport_is_exactly_the_compiled_cmdlet_set()
    {
        var exported = _manifest.StringArray("CmdletsToExport");
        Assert.NotNull(exported);
        Assert.Equal(_module.Cmdlets.Select(c => c.Name).OrderBy(n => n), exported!.OrderBy(n => n));
        Assert.NotEmpty(exported!);
    }

    [Theory]
    [InlineData("FunctionsToExport")]
    [InlineData("VariablesToExport")]
    [InlineData("AliasesToExport")]
    public void Other_export_lists_are_explicitly_empty(string key) =>
        Assert.Equal(new string[0], _manifest.StringArray(key));

    [Fact]
    public void Manifest_declares_editions_and_minimum_version()
    {
        Assert.Equal(new[] { "Core", "Desktop" }, _manifest.StringArray("CompatiblePSEditions"));
        Assert.Equal("5.1", _manifest.String("PowerShellVersion"));
        Assert.Equal(new[] { "FineTune.Format.ps1xml" }, _manifest.StringArray("FormatsToProcess"));
    }

    [Fact]
    public void Root_module_is_the_net8_assembly_on_Core_and_the_loader_script_on_Desktop()
    {
        string text = System.IO.File.ReadAllText(ModulePaths.Manifest);
        var rootModule = System.Text.RegularExpressions.Regex.Match(text,
            @"(?m)^\s*RootModule\s*=\s*if \(\$PSEdition -eq 'Core'\) \{ '(?<core>[^']+)' \} else \{ '(?<desktop>[^']+)' \}\s*$");
        Assert.True(rootModule.Success, "RootModule must choose by $PSEdition.");
        Assert.True(System.IO.File.Exists(System.IO.Path.Combine(ModulePaths.ModuleFolder, rootModule.Groups["core"].Value)));
        Assert.Equal(System.IO.Path.GetFullPath(ModulePaths.CmdletAssembly("net8.0")), System.IO.Path.GetFullPath(System.IO.Path.Combine(ModulePaths.ModuleFolder, rootModule.Groups["core"].Value)));
        Assert.Equal("FineTune.psm1", rootModule.Groups["desktop"].Value);
    }

    [Fact]
    public void Manifest_version_matches_the_assembly_version_of_the_build()
    {
        string version = _manifest.String("ModuleVersion")!;
        var assemblyVersion = System.Reflection.AssemblyName.GetAssemblyName(ModulePaths.CmdletAssembly("net8.0")).Version!;
        Assert.Equal(version, $"{assemblyVersion.Major}.{assemblyVersion.Minor}.{assemblyVersion.Build}");
    }

    [Theory]
    [InlineData("net8.0")]
    [InlineData("netstandard2.0")]
    public void Module_folder_holds_every_file_Import_Module_needs(string framework)
    {
        Assert.True(System.IO.File.Exists(ModulePaths.CmdletAssembly(framework)));
        Assert.True(System.IO.File.Exists(System.IO.Path.Combine(ModulePaths.ModuleFolder, "bin", framework, "FineTune.Core.dll")));
        Assert.True(System.IO.File.Exists(System.IO.Path.Combine(ModulePaths.ModuleFolder, "FineTune.psm1")));
        Assert.True(System.IO.File.Exists(ModulePaths.FormatFile));
        Assert.True(System.IO.File.Exists(ModulePaths.HelpFile));
        Assert.False(System.IO.File.Exists(System.IO.Path.Combine(ModulePaths.ModuleFolder, "bin", framework, "System.Management.Automation.dll")),
            "PowerShell's reference assembly must not ship in the module.");
    }
}
