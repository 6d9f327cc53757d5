namespace FineTune;

/// <summary>How a job trains the model.</summary>
public enum FineTuneMethod
{
    /// <summary>Supervised fine-tuning on chat examples.</summary>
    Supervised,

    /// <summary>Direct preference optimization on preferred / non-preferred pairs.</summary>
    Dpo,

    /// <summary>Reinforcement fine-tuning with a grader.</summary>
    Reinforcement,
}
