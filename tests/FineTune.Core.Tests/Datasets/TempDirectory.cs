using System;
using System.IO;
using System.Text;

namespace FineTune.Core.Tests.Datasets;

/// <summary>A fresh folder per test, deleted afterwards.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "finetune-datasets-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string Write(string name, string content) => WriteBytes(name, new UTF8Encoding(false).GetBytes(content));

    public string WriteBytes(string name, byte[] content)
    {
        string path = File(name);
        System.IO.File.WriteAllBytes(path, content);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

internal static class RepositoryPaths
{
    /// <summary>The cookbook's toy file, found as ../shared/data/cookbook from the repository root.</summary>
    public static string CookbookToyFile
    {
        get
        {
            string? directory = AppContext.BaseDirectory;
            while (directory is not null)
            {
                if (System.IO.File.Exists(System.IO.Path.Combine(directory, "FineTune.PowerShell.sln")))
                {
                    return System.IO.Path.GetFullPath(System.IO.Path.Combine(directory, "..", "shared", "data", "cookbook", "toy_chat_fine_tuning.jsonl"));
                }
                directory = System.IO.Path.GetDirectoryName(directory);
            }
            throw new InvalidOperationException("Cannot find the repository root (FineTune.PowerShell.sln) above " + AppContext.BaseDirectory);
        }
    }
}
