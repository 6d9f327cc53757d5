namespace FineTune;

/// <summary>
/// Azure OpenAI's training tiers, sent as the job body field <c>trainingType</c>: Standard trains
/// in the resource's region; GlobalStandard uses capacity anywhere, cheaper; Developer uses idle,
/// preemptible capacity, cheaper still (sent as <c>developerTier</c>).
/// </summary>
public enum TrainingType
{
    Standard,
    GlobalStandard,
    Developer,
}
