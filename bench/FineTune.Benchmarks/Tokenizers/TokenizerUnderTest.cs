using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Text.Json;

namespace FineTune.Benchmarks.Tokenizers;

/// <summary>
/// One tokenizer measured by <c>bench/tokens.sh</c>, called as its users would call it for
/// tiktoken's <c>encode_ordinary</c>: special-token text is ordinary text wherever the library
/// lets a caller ask for that.
/// </summary>
internal abstract class TokenizerUnderTest
{
    /// <summary>The names <c>--library</c> accepts.</summary>
    public static IReadOnlyList<string> Libraries { get; } = new[] { "finetune", "sharptoken", "ml-tokenizers" };

    /// <summary>The package or assembly name, as the report shows it.</summary>
    public abstract string Library { get; }

    /// <summary>The informational version of the library's assembly.</summary>
    public abstract string Version { get; }

    /// <summary>The library's own counting call (what a token counter would use).</summary>
    public abstract int CountTokens(string text);

    /// <summary>The library's token ids of <paramref name="text"/>.</summary>
    public abstract IReadOnlyList<int> Encode(string text);

    /// <summary>Builds the encoder; the first call in a process is the load time the report shows.</summary>
    public static TokenizerUnderTest Create(string library, string encoding) => library switch
    {
        "finetune" => new FineTuneTokenizer(encoding),
        "sharptoken" => new SharpTokenTokenizer(encoding),
        "ml-tokenizers" => new MlTokenizersTokenizer(encoding),
        _ => throw new ArgumentException($"unknown --library '{library}'; use one of: {string.Join(", ", Libraries)}"),
    };

    /// <summary>
    /// The version of the package (or project) that brought <paramref name="type"/>'s assembly,
    /// from this program's deps.json: SharpToken 2.0.6's assembly calls itself 1.0.0.
    /// </summary>
    protected static string VersionOf(Type type)
    {
        string name = type.Assembly.GetName().Name!;
        string deps = Path.Combine(AppContext.BaseDirectory, Assembly.GetEntryAssembly()!.GetName().Name + ".deps.json");
        using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(deps));
        foreach (JsonProperty library in document.RootElement.GetProperty("libraries").EnumerateObject())
        {
            int slash = library.Name.IndexOf('/');
            if (slash > 0 && library.Name.AsSpan(0, slash).Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return library.Name.Substring(slash + 1);
            }
        }
        throw new InvalidOperationException($"{deps} names no package or project '{name}'.");
    }
}
