namespace FineTune.Service.Files;

/// <summary>The file purposes this module uploads with (the service knows more).</summary>
public static class FilePurposes
{
    public const string FineTune = "fine-tune";
    public const string FineTuneResults = "fine-tune-results";
    public const string Batch = "batch";
    public const string Vision = "vision";
    public const string UserData = "user_data";
    public const string Evals = "evals";
    public const string Assistants = "assistants";
}
