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
        Tags = tags?.ToArray() ?? Array.Empty<string>();
    }

    /// <summary>The W&amp;B project the run is created under (required).</summary>
    public string Project { get; }

    /// <summary>Display name of the run; the service uses the job id when null.</summary>
    public string? Name { get; }

    /// <summary>Team or user the run belongs to; the key's default entity when null.</summary>
    public string? Entity { get; }

    public IReadOnlyList<string> Tags { get; }

    public override string ToString() => Entity is null ? Project : $"{Entity}/{Project}";
}
