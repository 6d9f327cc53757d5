using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace FineTune.Service.Jobs;

/// <summary>The models the account's fine-tuning jobs produced, newest job first.</summary>
public static class FineTunedModels
{
    /// <summary>The distinct fine-tuned model names among the newest <paramref name="jobsToRead"/> jobs.</summary>
    public static async Task<IReadOnlyList<(string Name, Job Job)>> ListAsync(ServiceClient client, int jobsToRead, CancellationToken cancellationToken)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var models = new List<(string, Job)>();
        var filter = new JobListFilter { First = jobsToRead };
        await foreach (Job job in new JobsClient(client).ListAsync(filter, cancellationToken).ConfigureAwait(false))
        {
            if (job.FineTunedModel is { Length: > 0 } name && seen.Add(name))
            {
                models.Add((name, job));
            }
        }
        return models;
    }
}
