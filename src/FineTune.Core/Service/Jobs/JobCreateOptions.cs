using System.Collections.Generic;

namespace FineTune.Service.Jobs;

/// <summary>
/// What a new job should do. Null hyperparameters mean <c>auto</c> (the service chooses).
/// </summary>
public sealed class JobCreateOptions
{
    public string Model { get; set; } = string.Empty;

    /// <summary>Id of the uploaded training file.</summary>
    public string TrainingFile { get; set; } = string.Empty;

    public string? ValidationFile { get; set; }

    public FineTuneMethod Method { get; set; } = FineTuneMethod.Supervised;

    public int? Epochs { get; set; }

    public int? BatchSize { get; set; }

    public double? LearningRateMultiplier { get; set; }

    /// <summary>DPO only.</summary>
    public double? Beta { get; set; }

    /// <summary>Reinforcement only, and required there: the grader object as JSON text.</summary>
    public string? GraderJson { get; set; }

    public string? Suffix { get; set; }

    public long? Seed { get; set; }

    /// <summary>Azure OpenAI only: the training tier (<c>trainingType</c>); null sends none.</summary>
    public TrainingType? TrainingType { get; set; }

    public IDictionary<string, string> Metadata { get; } = new Dictionary<string, string>();

    public IList<WandbIntegration> Integrations { get; } = new List<WandbIntegration>();

    /// <summary>Checks the options against the service's limits; a <c>FineTune.Job.Invalid*</c> error names the field and the fix.</summary>
    public void Validate() => JobRequest.Validate(this);

    /// <summary>
    /// True when <paramref name="value"/> has the shape of a service file id (<c>file-abc123</c>,
    /// letters, digits, <c>-</c> and <c>_</c> only) rather than of a path.
    /// </summary>
    public static bool LooksLikeFileId(string value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > 256)
        {
            return false;
        }
        foreach (char c in value)
        {
            if (!(c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '-' or '_'))
            {
                return false;
            }
        }
        return true;
    }
}
