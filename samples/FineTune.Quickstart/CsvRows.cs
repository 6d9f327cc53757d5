using System.Collections.Generic;
using System.IO;
using System.Text;

namespace FineTune.Quickstart;

/// <summary>
/// Reads RFC 4180 CSV (quoted fields, doubled quotes, line breaks inside quotes) into rows of
/// header/value pairs, as PowerShell's Import-Csv would hand them to ConvertTo-FineTuneExample.
/// </summary>
internal static class CsvRows
{
    public static IEnumerable<IReadOnlyList<KeyValuePair<string, object?>>> Read(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        List<string>? header = null;
        foreach (List<string> fields in Records(reader))
        {
            if (header is null)
            {
                header = fields;
                continue;
            }
            var row = new List<KeyValuePair<string, object?>>(header.Count);
            for (int i = 0; i < header.Count; i++)
            {
                row.Add(new KeyValuePair<string, object?>(header[i], i < fields.Count ? fields[i] : null));
            }
            yield return row;
        }
    }

    private static IEnumerable<List<string>> Records(TextReader reader)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        bool any = false;
        int c;
        while ((c = reader.Read()) != -1)
        {
            any = true;
            char ch = (char)c;
            if (quoted)
            {
                if (ch != '"')
                {
                    field.Append(ch);
                }
                else if (reader.Peek() == '"')
                {
                    field.Append((char)reader.Read());
                }
                else
                {
                    quoted = false;
                }
                continue;
            }
            switch (ch)
            {
                case '"':
                    quoted = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r':
                    break;
                case '\n':
                    fields.Add(field.ToString());
                    field.Clear();
                    yield return fields;
                    fields = new List<string>();
                    any = false;
                    break;
                default:
                    field.Append(ch);
                    break;
            }
        }
        if (any)
        {
            fields.Add(field.ToString());
            yield return fields;
        }
    }
}
