using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Threading;
using FineTune.PowerShell.Service;
using FineTune.Service;
using FineTune.Service.Jobs;

namespace FineTune.PowerShell.Completers;

/// <summary>
/// Completes <c>-Model</c> with the fine-tuned models of the account's newest jobs, asked of
/// the service with the command's <c>-Connection</c>, the session's, or the environment's.
/// Completion gives up quietly after a few seconds or when there is no connection.
/// </summary>
public sealed class FineTunedModelCompleter : IArgumentCompleter
{
    private const int JobsToRead = 100;
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(5);

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        IReadOnlyList<(string Name, Job Job)> models;
        try
        {
            object? bound = fakeBoundParameters?["Connection"];
            ServiceConnection connection = (bound is PSObject wrapped ? wrapped.BaseObject : bound) as ServiceConnection
                ?? ServiceSession.Current ?? ServiceSession.FromEnvironment();
            using var budget = new CancellationTokenSource(Budget);
            models = FineTunedModels.ListAsync(new ServiceClient(connection), JobsToRead, budget.Token).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is FineTuneException or OperationCanceledException)
        {
            return Array.Empty<CompletionResult>();
        }
        var pattern = new WildcardPattern(CompletionText.Typed(wordToComplete) + "*", WildcardOptions.IgnoreCase);
        return models
            .Where(model => pattern.IsMatch(model.Name))
            .Select(model => new CompletionResult(Quoted(model.Name), model.Name, CompletionResultType.ParameterValue,
                $"{model.Name} (job {model.Job.Id}, base {model.Job.Model})"))
            .ToList();
    }

    private static string Quoted(string name) => name.IndexOfAny(new[] { ' ', '\'', '$', '`' }) >= 0 ? "'" + name.Replace("'", "''") + "'" : name;
}
