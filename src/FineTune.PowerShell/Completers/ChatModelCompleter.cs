using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace FineTune.PowerShell.Completers;

/// <summary>
/// Completes <c>Invoke-FineTuneChat -Model</c>: the account's fine-tuned models first (asked of the
/// service, see <see cref="FineTunedModelCompleter"/>), then the catalog's base models, which
/// answer chat too and complete offline, so there is always something to offer.
/// </summary>
public sealed class ChatModelCompleter : IArgumentCompleter
{
    private readonly FineTunedModelCompleter _fineTuned = new();
    private readonly ModelNameCompleter _baseModels = new();

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var offered = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        return _fineTuned.CompleteArgument(commandName, parameterName, wordToComplete, commandAst, fakeBoundParameters)
            .Concat(_baseModels.CompleteArgument(commandName, parameterName, wordToComplete, commandAst, fakeBoundParameters))
            .Where(result => offered.Add(result.CompletionText))
            .ToList();
    }
}
