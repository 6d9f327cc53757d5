using System.Collections.Generic;
using System.IO;
using System.Text.Json;

namespace FineTune.Datasets;

/// <summary>
/// The small file that makes two renames one: a JSON list of <c>{"from": temporary file,
/// "to": target}</c> written (and flushed to disk) before the first rename and deleted after
/// the last, so a later run can finish what a killed process started.
/// </summary>
internal static class PairJournal
{
    public static void Write(string journal, IEnumerable<(string From, string To)> renames)
    {
        string temp = journal + ".tmp";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1))
        {
            using (var json = new Utf8JsonWriter(file))
            {
                json.WriteStartArray();
                foreach ((string from, string to) in renames)
                {
                    json.WriteStartObject();
                    json.WriteString("from", from);
                    json.WriteString("to", to);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
            }
            file.Flush(flushToDisk: true);
        }
#if NET8_0_OR_GREATER
        File.Move(temp, journal, overwrite: true);
#else
        if (File.Exists(journal))
        {
            File.Delete(journal);
        }
        File.Move(temp, journal);
#endif
    }

    /// <summary>The renames of a journal; none when it cannot be read as one.</summary>
    public static List<(string From, string To)> Read(string journal)
    {
        var renames = new List<(string, string)>();
        try
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(journal));
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return renames;
            }
            foreach (JsonElement entry in document.RootElement.EnumerateArray())
            {
                if (entry.ValueKind == JsonValueKind.Object
                    && entry.TryGetProperty("from", out JsonElement from) && from.ValueKind == JsonValueKind.String
                    && entry.TryGetProperty("to", out JsonElement to) && to.ValueKind == JsonValueKind.String)
                {
                    renames.Add((from.GetString()!, to.GetString()!));
                }
            }
        }
        catch (JsonException)
        {
            renames.Clear();
        }
        return renames;
    }
}
