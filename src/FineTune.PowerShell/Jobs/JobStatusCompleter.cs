using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace FineTune.PowerShell;

/// <summary>Tab completion for -Status: the statuses FineTune knows (the service may report others).</summary>
public sealed class JobStatusCompleter : IArgumentCompleter
{
    private static readonly string[] Statuses =
    {
        JobStatus.ValidatingFiles, JobStatus.Queued, JobStatus.Running, JobStatus.Paused,
        JobStatus.Succeeded, JobStatus.Failed, JobStatus.Cancelled,
    };

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Statuses.Where(s => s.StartsWith(wordToComplete.Trim('\'', '"'), StringComparison.OrdinalIgnoreCase))
            .Select(s => new CompletionResult(s, s, CompletionResultType.ParameterValue, s));
}
