using System;
using System.IO;

namespace FineTune.Tests;

/// <summary>Where the repository, its test data and the shared folder beside it are.</summary>
internal static class TestPaths
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>
    /// The shared folder beside the repository (<c>../shared</c>), or FINETUNE_SHARED_DIR.
    /// </summary>
    public static string SharedDirectory
    {
        get
        {
            string? overridden = Environment.GetEnvironmentVariable("FINETUNE_SHARED_DIR");
            string path = !string.IsNullOrEmpty(overridden) ? overridden! : Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared"));
            if (!Directory.Exists(path))
            {
                throw new InvalidOperationException($"The shared tools folder '{path}' does not exist; set FINETUNE_SHARED_DIR to it.");
            }
            return path;
        }
    }

    public static string SharedTiktokenTools => Path.Combine(SharedDirectory, "tools", "tiktoken");

    public static string CookbookToyDataset => Path.Combine(SharedDirectory, "data", "cookbook", "toy_chat_fine_tuning.jsonl");

    public static string FixturePath(string name) => Path.Combine(AppContext.BaseDirectory, "Tokens", "Fixtures", name);

    private static string FindRepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "FineTune.PowerShell.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"No FineTune.PowerShell.sln above '{AppContext.BaseDirectory}'.");
    }
}
