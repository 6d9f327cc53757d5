using System.IO;

namespace FineTune.Service.Files;

/// <summary>Moves a completed temporary file over its target in one step.</summary>
internal static class AtomicFile
{
    public static void Replace(string temp, string target)
    {
#if NET8_0_OR_GREATER
        File.Move(temp, target, overwrite: true);
#else
        if (File.Exists(target))
        {
            File.Replace(temp, target, destinationBackupFileName: null);
        }
        else
        {
            File.Move(temp, target);
        }
#endif
    }
}
