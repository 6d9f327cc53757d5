using System;
using System.Collections.Generic;
using FineTune.HelpGen;
using Xunit;

namespace FineTune.PowerShell.Tests;

/// <summary>The compiled cmdlets of the built module (net8.0), read once for all contract tests.</summary>
public sealed class ModuleFixture : IDisposable
{
    private readonly AssemblyReader _reader = new(ModulePaths.CmdletAssembly("net8.0"));

    public ModuleFixture()
    {
        Cmdlets = _reader.Cmdlets();
        ApprovedVerbs = _reader.ApprovedVerbs();
    }

    public IReadOnlyList<CmdletModel> Cmdlets { get; }

    public IReadOnlyCollection<string> ApprovedVerbs { get; }

    public AssemblyReader Reader => _reader;

    public void Dispose() => _reader.Dispose();
}

[CollectionDefinition(Name)]
public sealed class ModuleCollection : ICollectionFixture<ModuleFixture>
{
    public const string Name = "Built module";
}
