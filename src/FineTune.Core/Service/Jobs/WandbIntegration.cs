using System;
using System.Collections.Generic;
using System.Linq;

namespace FineTune;

/// <summary>A Weights and Biases integration: where the service sends a job's metrics.</summary>
public sealed class WandbIntegration
{
    public WandbIntegration(string project, string? name = null, string? entity = null, IEnumerable<string>? tags = null)
    {
        Project = project ?? throw new ArgumentNullException(nameof(project));
        Name = name;
        Entity = entity;
        Tags = tags is null ? ValueList<string>.None : ValueList<string>.Of(tags);
    }

    /// <summary>The W&amp;B project the run is created under (required).</summary>
    public string Project { get; }

    /// <summary>Display name of the run; the service uses the job id when null.</summary>
    public string? Name { get; }

    /// <summary>Team or user the run belongs to; the key's default entity when null.</summary>
    public string? Entity { get; }

    public IReadOnlyList<string> Tags { get; }

    /// <summary>
    /// Reads an integration written as a hashtable: <c>@{ Project = 'p'; Name = 'run'; Entity = 'team'; Tags = 'a','b' }</c>,
    /// optionally with <c>Type = 'wandb'</c> (the only type the service knows). Keys are case-insensitive.
    /// </summary>
    public static WandbIntegration FromDictionary(System.Collections.IDictionary values)
    {
        var map = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        foreach (System.Collections.DictionaryEntry entry in values)
        {
            map[entry.Key?.ToString() ?? string.Empty] = entry.Value;
        }
        string[] known = { "Type", "Project", "Name", "Entity", "Tags" };
        if (map.Keys.FirstOrDefault(k => !known.Contains(k, StringComparer.OrdinalIgnoreCase)) is { } unknown)
        {
            throw Invalid($"The integration has an unknown key '{unknown}'.");
        }
        if (map.TryGetValue("Type", out object? type) && !string.Equals(type?.ToString(), "wandb", StringComparison.OrdinalIgnoreCase))
        {
            throw Invalid($"The integration type '{type}' is not supported; the service knows only 'wandb'.");
        }
        string? project = map.TryGetValue("Project", out object? p) ? p?.ToString() : null;
        if (string.IsNullOrWhiteSpace(project))
        {
            throw Invalid("The integration has no Project.");
        }
        IEnumerable<string>? tags = map.TryGetValue("Tags", out object? t) ? t switch
        {
            null => null,
            string single => new[] { single },
            System.Collections.IEnumerable many => many.Cast<object?>().Where(x => x is not null).Select(x => x!.ToString()!),
            _ => new[] { t.ToString()! },
        } : null;
        return new WandbIntegration(project!, map.TryGetValue("Name", out object? n) ? n?.ToString() : null,
            map.TryGetValue("Entity", out object? e) ? e?.ToString() : null, tags);
    }

    private static FineTuneException Invalid(string message) => new("FineTune.Job.InvalidIntegration", FailureKind.InvalidArgument, message, "Integration",
        "Write each integration as @{ Project = 'my-project'; Entity = 'team'; Name = 'run'; Tags = 'a','b' }.");

    public override string ToString() => Entity is null ? Project : $"{Entity}/{Project}";
}
