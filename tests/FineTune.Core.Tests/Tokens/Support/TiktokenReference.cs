using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace FineTune.Tests.Tokens.Support;

/// <summary>Token ids from OpenAI's tiktoken (npm, WASM build of its Rust core) for many strings at once.</summary>
internal static class TiktokenReference
{
    public static int[][] Encode(string encoding, IReadOnlyList<string> texts)
    {
        string directory = NodeTools.ReferenceDirectory;
        string work = Path.Combine(Path.GetTempPath(), "finetune-tokens-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            string input = Path.Combine(work, "strings.jsonl");
            string output = Path.Combine(work, "ids.txt");
            using (var writer = new StreamWriter(input))
            {
                foreach (string text in texts)
                {
                    writer.Write(AsciiJson(text));
                    writer.Write('\n');
                }
            }
            NodeTools.Run(directory, "node", Path.Combine(directory, "encode.js"), "--encoding", encoding, "--input", input, "--out", output);
            string[] lines = File.ReadAllText(output).Split('\n');
            if (lines.Length != texts.Count + 1)
            {
                throw new InvalidOperationException($"The reference returned {lines.Length - 1} lines for {texts.Count} strings.");
            }
            return lines.Take(texts.Count)
                .Select(line => line.Length == 0 ? Array.Empty<int>() : line.Split(' ').Select(int.Parse).ToArray())
                .ToArray();
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>
    /// A JSON string literal with every non-ASCII UTF-16 unit escaped, so lone surrogates reach
    /// JavaScript as the same lone surrogates.
    /// </summary>
    private static string AsciiJson(string text)
    {
        var json = new System.Text.StringBuilder(text.Length + 2);
        json.Append('"');
        foreach (char c in text)
        {
            if (c is >= ' ' and < (char)0x7F && c != '"' && c != '\\')
            {
                json.Append(c);
            }
            else
            {
                json.Append("\\u").Append(((int)c).ToString("x4"));
            }
        }
        return json.Append('"').ToString();
    }

    /// <summary>The strings tiktoken's shared scripts count in a corpus or chat JSONL file.</summary>
    public static List<string> StringsOf(string jsonlPath)
    {
        var texts = new List<string>();
        foreach (string line in File.ReadLines(jsonlPath))
        {
            if (line.Trim().Length == 0)
            {
                continue;
            }
            using JsonDocument document = JsonDocument.Parse(line);
            JsonElement row = document.RootElement;
            if (row.TryGetProperty("messages", out JsonElement messages))
            {
                foreach (JsonElement message in messages.EnumerateArray())
                {
                    foreach (string key in new[] { "role", "content", "name" })
                    {
                        if (message.TryGetProperty(key, out JsonElement value) && value.ValueKind == JsonValueKind.String)
                        {
                            texts.Add(value.GetString()!);
                        }
                    }
                }
            }
            else if (row.TryGetProperty("text", out JsonElement text))
            {
                texts.Add(text.GetString()!);
            }
        }
        return texts;
    }
}
