using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace FineTune.PowerShell.Tests;

/// <summary>Reads the array and string entries the contract needs from a .psd1 (a PowerShell data file).</summary>
internal sealed class ManifestReader
{
    private readonly string _text;

    public ManifestReader(string path) => _text = File.ReadAllText(path);

    public IReadOnlyList<string>? StringArray(string key)
    {
        Match match = Regex.Match(_text, $@"(?m)^\s*{key}\s*=\s*@\((?<items>[^)]*)\)");
        if (!match.Success)
        {
            return null;
        }
        string items = Regex.Replace(match.Groups["items"].Value, @"#[^\n]*", "");
        return Regex.Matches(items, @"'(?<s>[^']*)'|""(?<s>[^""]*)""").Select(m => m.Groups["s"].Value).ToList();
    }

    public string? String(string key)
    {
        Match match = Regex.Match(_text, $@"(?m)^\s*{key}\s*=\s*'(?<value>[^']*)'");
        return match.Success ? match.Groups["value"].Value : null;
    }
}
