using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;

namespace FineTune.Service.Jobs;

/// <summary>
/// What <c>New-FineTuneJob</c> is about to do, in words: for <c>-WhatIf</c> and <c>-Confirm</c>.
/// Names the model, the method, the files (and whether they are uploaded first) and, for a
/// local training file, the cost estimate.
/// </summary>
public static class JobCreatePlan
{
    /// <param name="options">The job to create.</param>
    /// <param name="localTrainingPath">The local training file to upload first, or null when <c>TrainingFile</c> is an id.</param>
    /// <param name="localValidationPath">The local validation file to upload first, or null.</param>
    /// <param name="provider">The provider whose catalog prices apply (OpenAI, AzureOpenAI), or null for OpenAI's.</param>
    /// <param name="cancellationToken">Stops the cost estimate.</param>
    public static string Describe(JobCreateOptions options, string? localTrainingPath, string? localValidationPath, string? provider, CancellationToken cancellationToken) =>
        Describe(options, localTrainingPath, localValidationPath,
            localTrainingPath is null ? null : JobCostEstimate.Summarize(localTrainingPath, options, provider, cancellationToken));

    /// <summary>The same text without the cost estimate, for when nobody will read it (no -WhatIf, no prompt).</summary>
    public static string DescribeWithoutEstimate(JobCreateOptions options, string? localTrainingPath, string? localValidationPath) =>
        Describe(options, localTrainingPath, localValidationPath, costEstimate: null, mentionEstimate: false);

    internal static string Describe(JobCreateOptions options, string? localTrainingPath, string? localValidationPath, string? costEstimate, bool mentionEstimate = true)
    {
        var text = new StringBuilder();
        text.Append("Create a ").Append(JobRequest.MethodName(options.Method)).Append(" fine-tuning job of model '").Append(options.Model).Append('\'');
        if (options.TrainingType is { } tier)
        {
            text.Append(" on the ").Append(tier).Append(" training tier");
        }
        text.Append(" with training file ").Append(FileText(options.TrainingFile, localTrainingPath));
        if (options.ValidationFile is { Length: > 0 } || localValidationPath is not null)
        {
            text.Append(" and validation file ").Append(FileText(options.ValidationFile, localValidationPath));
        }
        if (options.Suffix is { Length: > 0 } suffix)
        {
            text.Append(", suffix '").Append(suffix).Append('\'');
        }
        if (localTrainingPath is not null && mentionEstimate)
        {
            text.Append(costEstimate is { Length: > 0 } ? "; estimated cost: " + costEstimate : "; no cost estimate is available");
        }
        return text.Append('.').ToString();
    }

    private static string FileText(string? id, string? localPath) =>
        localPath is not null ? $"'{localPath}' (uploaded first)" : $"'{id}'";
}
