using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using FineTune.Models;

namespace FineTune.PowerShell.Completers;

/// <summary>
/// Completes <c>-Model</c> with the aliases and snapshots of the model catalog (the user's
/// <c>-CatalogPath</c> or FINETUNE_CATALOG_PATH file merged in), filtered by <c>-Provider</c>
/// when it is bound. Use it with <c>[ArgumentCompleter(typeof(ModelNameCompleter))]</c>.
/// </summary>
public sealed class ModelNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        ModelCatalog catalog;
        try
        {
            catalog = ModelCatalog.Load(fakeBoundParameters?["CatalogPath"] as string);
        }
        catch (FineTuneException)
        {
            catalog = ModelCatalog.Embedded;
        }
        string? provider = fakeBoundParameters?["Provider"]?.ToString();
        string typed = CompletionText.Typed(wordToComplete);
        var pattern = new WildcardPattern(typed + "*", WildcardOptions.IgnoreCase);
        var offered = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (BaseModel model in catalog.Models)
        {
            if (provider is not null && !string.Equals(model.Provider, provider, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            foreach (string name in new[] { model.Name, model.Snapshot })
            {
                if (pattern.IsMatch(name) && offered.Add(name))
                {
                    yield return new CompletionResult(name, name, CompletionResultType.ParameterValue, Describe(model));
                }
            }
        }
    }

    private static string Describe(BaseModel model) => string.Format(CultureInfo.InvariantCulture,
        "{0} {1}: {2}, {3} tokens per example, {4}{5}",
        model.Provider, model.Snapshot, model.Encoding, model.TokenLimit?.ToString(CultureInfo.InvariantCulture) ?? "unknown",
        string.Join("/", model.Methods),
        model.RetirementDate is DateTime date ? $", retires {date:yyyy-MM-dd}" : "");
}
