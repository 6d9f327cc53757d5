using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using FineTune.Service.Files;

namespace FineTune.Service.Archive;

/// <summary>
/// Where each thing lives in an archive folder. Paths in the manifest are relative, with
/// <c>/</c> separators, built only from names made safe here: ids and file names come from
/// the service, and a hostile one must not be able to write outside the folder or create a
/// name Windows refuses.
/// </summary>
/// <remarks>
/// <code>
/// manifest.json
/// jobs/{jobId}/job.json            the job object as the service sent it
/// jobs/{jobId}/events.jsonl        its events, oldest first, one object per line
/// jobs/{jobId}/checkpoints.jsonl   its checkpoints, oldest first
/// jobs/{jobId}/metrics.csv         the per-step metrics of its result files
/// files/{fileId}/{fileName}        training, validation and result files, byte for byte
/// </code>
/// </remarks>
internal static class ArchiveLayout
{
    public const string ManifestFileName = "manifest.json";

    private const int MaxNameLength = 100;

    public static string JobFolder(string jobId) => "jobs/" + SafeId(jobId);

    public static string JobObject(string jobId) => JobFolder(jobId) + "/job.json";

    public static string Events(string jobId) => JobFolder(jobId) + "/events.jsonl";

    public static string Checkpoints(string jobId) => JobFolder(jobId) + "/checkpoints.jsonl";

    public static string Metrics(string jobId) => JobFolder(jobId) + "/metrics.csv";

    /// <summary>A stored file, in a folder named after its id, under the name the service recorded.</summary>
    public static string StoredFile(string fileId, string? fileName) =>
        "files/" + SafeId(fileId) + "/" + SafeFileName(string.IsNullOrWhiteSpace(fileName) ? fileId : fileName!);

    /// <summary>The full path of a manifest path inside <paramref name="root"/>.</summary>
    public static string FullPath(string root, string relative) =>
        Path.Combine(root, relative.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>
    /// True when <paramref name="relative"/> is a path this layout could have written: relative,
    /// <c>/</c>-separated, with no empty, <c>.</c> or <c>..</c> segment.
    /// </summary>
    public static bool IsSafeRelative(string relative)
    {
        if (relative.Length == 0 || relative.IndexOf('\\') >= 0 || relative.IndexOf(':') >= 0 || relative[0] == '/')
        {
            return false;
        }
        foreach (string segment in relative.Split('/'))
        {
            if (segment.Length == 0 || segment == "." || segment == "..")
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// An id as a folder name: letters, digits, <c>.</c>, <c>_</c> and <c>-</c> are kept, anything
    /// else becomes <c>_</c>; a name that had to change gets a short hash of the original, so two
    /// ids never share a folder.
    /// </summary>
    public static string SafeId(string id)
    {
        var safe = new StringBuilder(id.Length);
        foreach (char c in id)
        {
            safe.Append(c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '.' or '_' or '-' ? c : '_');
        }
        string name = safe.ToString();
        bool changed = name != id || name.Length == 0 || name.Trim('.').Length == 0 || name.Length > MaxNameLength || LocalFileName.IsDeviceName(name);
        if (!changed)
        {
            return name;
        }
        string stem = name.Trim('.');
        stem = stem.Length > MaxNameLength ? stem.Substring(0, MaxNameLength) : stem;
        return (stem.Length == 0 ? "id" : stem) + "-" + ShortHash(id);
    }

    /// <summary>
    /// The service's name for a file, kept readable: the last path segment only, characters
    /// outside letters, digits, space and <c>._-()+</c> become <c>_</c>, no leading or trailing
    /// dot or space, at most 100 characters (the extension kept).
    /// </summary>
    public static string SafeFileName(string fileName)
    {
        string name = fileName.Replace('\\', '/');
        name = name.Substring(name.LastIndexOf('/') + 1);
        var safe = new StringBuilder(name.Length);
        foreach (char c in name)
        {
            safe.Append(c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or ' ' or '.' or '_' or '-' or '(' or ')' or '+' ? c : '_');
        }
        name = safe.ToString().Trim(' ', '.');
        if (name.Length > MaxNameLength)
        {
            string extension = Path.GetExtension(name);
            extension = extension.Length <= 16 ? extension : string.Empty;
            name = name.Substring(0, MaxNameLength - extension.Length).TrimEnd(' ', '.') + extension;
        }
        if (name.Length == 0)
        {
            return "content";
        }
        return LocalFileName.IsDeviceName(name) ? "_" + name : name;
    }

    private static string ShortHash(string text)
    {
        using SHA256 sha = SHA256.Create();
        byte[] hash = sha.ComputeHash(Encoding.UTF8.GetBytes(text));
        var hex = new StringBuilder(8);
        for (int i = 0; i < 4; i++)
        {
            hex.Append(hash[i].ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return hex.ToString();
    }
}
