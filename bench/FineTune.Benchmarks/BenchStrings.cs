using System.Collections.Generic;
using System.IO;
using System.Text.Json;

namespace FineTune.Benchmarks;

/// <summary>
/// The strings the token benchmarks encode, in the order tools/tiktoken-reference/bench.js and
/// bench/tiktoken-ids.js read them: a corpus row's text; role, content and name of every
/// message of a chat example. <see cref="DocumentOf"/> maps each string to its row (document).
/// </summary>
internal sealed class BenchStrings
{
    private BenchStrings(List<string> texts, List<int> documentOf, int documents)
    {
        Texts = texts;
        DocumentOf = documentOf;
        Documents = documents;
    }

    public IReadOnlyList<string> Texts { get; }

    /// <summary>The 0-based non-blank line each string came from.</summary>
    public IReadOnlyList<int> DocumentOf { get; }

    /// <summary>Corpus documents or chat examples (non-blank lines).</summary>
    public int Documents { get; }

    public static BenchStrings Read(string path)
    {
        var texts = new List<string>();
        var documentOf = new List<int>();
        int document = 0;
        foreach (string line in File.ReadLines(path))
        {
            if (line.Trim().Length == 0)
            {
                continue;
            }
            using JsonDocument parsed = JsonDocument.Parse(line);
            JsonElement row = parsed.RootElement;
            if (row.TryGetProperty("messages", out JsonElement messages) && messages.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement message in messages.EnumerateArray())
                {
                    foreach (string key in new[] { "role", "content", "name" })
                    {
                        if (message.TryGetProperty(key, out JsonElement value) && value.ValueKind == JsonValueKind.String)
                        {
                            texts.Add(value.GetString()!);
                            documentOf.Add(document);
                        }
                    }
                }
            }
            else if (row.TryGetProperty("text", out JsonElement text) && text.ValueKind == JsonValueKind.String)
            {
                texts.Add(text.GetString()!);
                documentOf.Add(document);
            }
            document++;
        }
        return new BenchStrings(texts, documentOf, document);
    }
}
