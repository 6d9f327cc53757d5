using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using FineTune.Service.Files;

namespace FineTune.PowerShell.Service;

/// <summary>Tab completion for -Purpose: the purposes the service knows (the set stays open).</summary>
public sealed class FilePurposeCompleter : IArgumentCompleter
{
    private static readonly string[] Purposes =
    {
        FilePurposes.FineTune, FilePurposes.FineTuneResults, FilePurposes.Batch, FilePurposes.Vision,
        FilePurposes.UserData, FilePurposes.Evals, FilePurposes.Assistants,
    };

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string typed = (wordToComplete ?? string.Empty).Trim('\'', '"');
        return Purposes
            .Where(p => p.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
            .Select(p => new CompletionResult(p, p, CompletionResultType.ParameterValue, p));
    }
}
