using System;
using System.Collections.Generic;
using System.Linq;
using FineTune.HelpGen;
using Xunit;

namespace FineTune.PowerShell.Tests;

[Collection(ModuleCollection.Name)]
public sealed class CmdletConventionTests
{
    /// <summary>Verbs that change files or remote state, so must honour -WhatIf and -Confirm.</summary>
    private static readonly HashSet<string> ChangingVerbs = new(StringComparer.OrdinalIgnoreCase)
    {
        "Add", "Clear", "Copy", "Export", "Install", "Move", "New", "Publish", "Register", "Remove", "Rename",
        "Reset", "Restart", "Resume", "Save", "Send", "Set", "Split", "Start", "Stop", "Suspend", "Uninstall",
        "Unregister", "Update", "Write",
    };

    private readonly ModuleFixture _module;

    public CmdletConventionTests(ModuleFixture module) => _module = module;

    public static IEnumerable<object[]> CmdletNames()
    {
        using var reader = new AssemblyReader(ModulePaths.CmdletAssembly("net8.0"));
        return reader.Cmdlets().Select(c => new object[] { c.Name }).ToList();
    }

    private CmdletModel Cmdlet(string name) => _module.Cmdlets.Single(c => c.Name == name);

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Verb_is_approved(string name) => Assert.Contains(Cmdlet(name).Verb, _module.ApprovedVerbs);

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Noun_is_singular_and_prefixed(string name)
    {
        string noun = Cmdlet(name).Noun;
        Assert.True(noun.StartsWith("FineTune", StringComparison.Ordinal) || noun == "Jsonl", $"{name}: noun must start with FineTune.");
        Assert.False(noun.EndsWith("s", StringComparison.Ordinal) && !noun.EndsWith("ss", StringComparison.Ordinal), $"{name}: nouns are singular.");
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Class_is_sealed_and_named_after_the_cmdlet(string name)
    {
        CmdletModel cmdlet = Cmdlet(name);
        Assert.True(cmdlet.IsSealed);
        Assert.Equal($"FineTune.PowerShell.Commands.{cmdlet.Verb}{cmdlet.Noun}Command", cmdlet.TypeFullName);
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Declares_its_output_type(string name) => Assert.NotEmpty(Cmdlet(name).OutputTypes);

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Changing_cmdlets_support_ShouldProcess(string name)
    {
        CmdletModel cmdlet = Cmdlet(name);
        if (ChangingVerbs.Contains(cmdlet.Verb))
        {
            Assert.True(cmdlet.SupportsShouldProcess, $"{name} changes something, so it must support -WhatIf/-Confirm.");
        }
        // Removals and cancels cannot be undone: they ask first.
        if (cmdlet.Verb is "Remove" or "Stop")
        {
            Assert.Equal("High", cmdlet.ConfirmImpact);
        }
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Flags_are_switches_not_booleans(string name) =>
        Assert.DoesNotContain(Cmdlet(name).Parameters, p => p.IsBoolean);

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Path_parameters_come_with_LiteralPath(string name)
    {
        CmdletModel cmdlet = Cmdlet(name);
        if (cmdlet.Parameters.Any(p => p.Name == "Path" && p.TypeFullName == "System.String[]"))
        {
            ParameterModel? literal = cmdlet.Parameters.SingleOrDefault(p => p.Name == "LiteralPath");
            Assert.NotNull(literal);
            Assert.Contains("PSPath", literal!.Aliases);
        }
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Model_parameters_complete_model_names(string name)
    {
        ParameterModel? model = Cmdlet(name).Parameters.SingleOrDefault(p => p.Name == "Model");
        if (model is not null)
        {
            Assert.True(model.HasArgumentCompleter, $"{name} -Model must offer tab completion of model names.");
        }
    }
}
