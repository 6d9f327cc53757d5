using System;
using System.Text;

namespace FineTune.Service.Files;

/// <summary>
/// Turns a name the service recorded for a file into a name that is safe to create in a folder
/// on any system: one plain file name, no path, no control or direction-changing characters, no
/// character Windows forbids, no device name, not hidden, and short enough for a temporary file
/// beside it.
/// </summary>
public static class LocalFileName
{
    /// <summary>The longest name in UTF-8 bytes: 255 less room for the temporary name used while writing.</summary>
    public const int MaxBytes = 200;

    private const string Forbidden = "<>:\"/\\|?*";

    private static readonly string[] DeviceNames =
    {
        "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
        "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    };

    /// <summary>The safe form of <paramref name="serviceName"/>; <paramref name="fallback"/> (the file's id) when nothing usable is left.</summary>
    public static string FromServiceName(string? serviceName, string fallback)
    {
        string name = Sanitize(serviceName ?? string.Empty);
        return name.Length > 0 ? name : Sanitize(fallback) is { Length: > 0 } id ? id : "file";
    }

    private static string Sanitize(string text)
    {
        // Only the last segment of anything that looks like a path.
        int slash = text.LastIndexOfAny(new[] { '/', '\\' });
        string last = slash >= 0 ? text.Substring(slash + 1) : text;

        var safe = new StringBuilder(last.Length);
        for (int i = 0; i < last.Length; i++)
        {
            char c = last[i];
            if (char.IsHighSurrogate(c) && i + 1 < last.Length && char.IsLowSurrogate(last[i + 1]))
            {
                safe.Append(c).Append(last[++i]);
            }
            else if (char.IsSurrogate(c) || ServiceText.NeedsEscape(c) || Forbidden.IndexOf(c) >= 0 || c == '\uFEFF')
            {
                safe.Append('_');
            }
            else
            {
                safe.Append(c);
            }
        }
        // Leading dots hide a file (or make "." and ".."); Windows drops trailing dots and spaces.
        string name = safe.ToString().Trim().TrimStart('.').TrimEnd('.', ' ').Trim();
        if (name.Length == 0 || name.Replace("_", string.Empty).Trim().Length == 0)
        {
            return string.Empty;
        }
        if (IsDeviceName(name))
        {
            name = "_" + name;
        }
        return Shorten(name);
    }

    /// <summary>A name Windows reserves for a device (CON, NUL, COM1, ... with any extension), which cannot be a file's.</summary>
    internal static bool IsDeviceName(string name)
    {
        int dot = name.IndexOf('.');
        string stem = (dot >= 0 ? name.Substring(0, dot) : name).TrimEnd(' ');
        return Array.Exists(DeviceNames, device => string.Equals(device, stem, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Cuts the stem, keeping a short extension, until the name fits <see cref="MaxBytes"/>.</summary>
    private static string Shorten(string name)
    {
        if (Encoding.UTF8.GetByteCount(name) <= MaxBytes)
        {
            return name;
        }
        int dot = name.LastIndexOf('.');
        string extension = dot > 0 && name.Length - dot <= 16 ? name.Substring(dot) : string.Empty;
        string stem = name.Substring(0, name.Length - extension.Length);
        while (stem.Length > 0 && Encoding.UTF8.GetByteCount(stem) + Encoding.UTF8.GetByteCount(extension) > MaxBytes)
        {
            int cut = stem.Length - 1;
            if (cut > 0 && char.IsLowSurrogate(stem[cut]))
            {
                cut--;
            }
            stem = stem.Substring(0, cut);
        }
        return stem.TrimEnd('.', ' ') + extension;
    }
}
