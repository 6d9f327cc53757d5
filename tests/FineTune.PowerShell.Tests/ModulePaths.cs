using System;
using System.IO;

namespace FineTune.PowerShell.Tests;

/// <summary>Where the built module folder and the repository's sources are, found from the test binaries.</summary>
internal static class ModulePaths
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string ModuleFolder => Path.Combine(RepositoryRoot, "out", "FineTune");

    public static string Manifest => Path.Combine(ModuleFolder, "FineTune.psd1");

    public static string FormatFile => Path.Combine(ModuleFolder, "FineTune.Format.ps1xml");

    public static string HelpFile => Path.Combine(ModuleFolder, "en-US", "FineTune.PowerShell.dll-Help.xml");

    public static string CmdletAssembly(string framework) => Path.Combine(ModuleFolder, "bin", framework, "FineTune.PowerShell.dll");

    public static string PesterFolder => Path.Combine(RepositoryRoot, "tests", "pester");

    private static string FindRepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "FineTune.PowerShell.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"No FineTune.PowerShell.sln above {AppContext.BaseDirectory}.");
    }
}
