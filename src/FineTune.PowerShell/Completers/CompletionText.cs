namespace FineTune.PowerShell.Completers;

/// <summary>Text rules every FineTune argument completer shares.</summary>
internal static class CompletionText
{
    /// <summary>What the user typed, without the quote PowerShell passes along when the word was begun with one.</summary>
    public static string Typed(string? wordToComplete) => (wordToComplete ?? string.Empty).Trim('\'', '"');
}
