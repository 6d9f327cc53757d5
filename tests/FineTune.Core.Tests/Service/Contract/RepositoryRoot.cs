using System;
using System.IO;

namespace FineTune.Tests.Service.Contract;

/// <summary>The repository's root, found by walking up from the test binaries to the solution file.</summary>
public static class RepositoryRoot
{
    public static string Find()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "FineTune.PowerShell.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"No FineTune.PowerShell.sln above {AppContext.BaseDirectory}.");
    }

    /// <summary>The read-only shared folder beside the repository (<c>../shared</c>).</summary>
    public static string Shared() => Path.GetFullPath(Path.Combine(Find(), "..", "shared"));
}
