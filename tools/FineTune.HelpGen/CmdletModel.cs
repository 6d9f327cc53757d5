using System.Collections.Generic;

namespace FineTune.HelpGen;

/// <summary>What the module's compiled assembly declares about one cmdlet.</summary>
public sealed record CmdletModel(
    string Verb,
    string Noun,
    string TypeFullName,
    string DocumentationId,
    bool IsSealed,
    bool SupportsShouldProcess,
    string? ConfirmImpact,
    string? DefaultParameterSetName,
    IReadOnlyList<string> OutputTypes,
    IReadOnlyList<ParameterModel> Parameters)
{
    public string Name => $"{Verb}-{Noun}";
}

/// <summary>One public property that carries at least one [Parameter] attribute.</summary>
public sealed record ParameterModel(
    string Name,
    string TypeFullName,
    string TypeDisplayName,
    string DocumentationId,
    IReadOnlyList<string> Aliases,
    IReadOnlyList<ParameterSetModel> Sets,
    bool HasArgumentCompleter,
    IReadOnlyList<string> ValidValues)
{
    public bool IsSwitch => TypeFullName == "System.Management.Automation.SwitchParameter";

    public bool IsBoolean => TypeFullName == "System.Boolean";
}

/// <summary>How a parameter behaves in one parameter set (or in all of them).</summary>
public sealed record ParameterSetModel(
    string Name,
    bool Mandatory,
    int? Position,
    bool ValueFromPipeline,
    bool ValueFromPipelineByPropertyName)
{
    public const string AllSets = "__AllParameterSets";
}
