using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace FineTune.PowerShell.Completers;

/// <summary>
/// Tab completion from a fixed list of values: those starting with what was typed (quotes
/// ignored, case-insensitive), in list order. Derive and pass the values to the constructor.
/// </summary>
public abstract class FixedListCompleter : IArgumentCompleter
{
    private readonly string[] _values;

    protected FixedListCompleter(params string[] values) => _values = values;

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string typed = CompletionText.Typed(wordToComplete);
        return _values
            .Where(value => value.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
            .Select(value => new CompletionResult(value, value, CompletionResultType.ParameterValue, value));
    }
}
