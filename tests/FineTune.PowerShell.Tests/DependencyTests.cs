using System.IO;
using Xunit;

namespace FineTune.PowerShell.Tests;

public sealed class DependencyTests
{
    [Fact]
    public void PowerShell_7_build_ships_no_copy_of_System_Text_Json()
    {
        // PowerShell 7 loads its own System.Text.Json first; a second copy fails to load.
        string bin = Path.Combine(ModulePaths.ModuleFolder, "bin", "net8.0");
        Assert.False(File.Exists(Path.Combine(bin, "System.Text.Json.dll")));
    }

    [Theory]
    [InlineData("System.Text.Json.dll")]
    [InlineData("System.Memory.dll")]
    [InlineData("Microsoft.Bcl.AsyncInterfaces.dll")]
    public void Windows_PowerShell_build_ships_its_dependency_closure(string file) =>
        Assert.True(File.Exists(Path.Combine(ModulePaths.ModuleFolder, "bin", "netstandard2.0", file)));
}
