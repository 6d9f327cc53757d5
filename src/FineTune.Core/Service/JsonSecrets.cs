using System.IO;
using System.Text.Json;

namespace FineTune.Service;

/// <summary>
/// Masks registered secrets (<see cref="SecretRedactor"/>) in a JSON answer, so that nothing
/// read from the service — a file name, a job's error, a chat reply — carries the key on into
/// output, messages or error targets. Answers without a secret are returned as they are.
/// </summary>
internal static class JsonSecrets
{
    public static JsonElement Mask(JsonElement root)
    {
        if (!Holds(root))
        {
            return root;
        }
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(root, writer);
        }
        using JsonDocument masked = JsonDocument.Parse(buffer.ToArray());
        return masked.RootElement.Clone();
    }

    private static bool Holds(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return SecretRedactor.ContainsRegistered(element.GetString()!);
            case JsonValueKind.Array:
                foreach (JsonElement item in element.EnumerateArray())
                {
                    if (Holds(item))
                    {
                        return true;
                    }
                }
                return false;
            case JsonValueKind.Object:
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    if (SecretRedactor.ContainsRegistered(property.Name) || Holds(property.Value))
                    {
                        return true;
                    }
                }
                return false;
            default:
                return false;
        }
    }

    private static void Write(JsonElement element, Utf8JsonWriter writer)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                writer.WriteStringValue(SecretRedactor.RedactRegistered(element.GetString()!));
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (JsonElement item in element.EnumerateArray())
                {
                    Write(item, writer);
                }
                writer.WriteEndArray();
                break;
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    writer.WritePropertyName(SecretRedactor.RedactRegistered(property.Name));
                    Write(property.Value, writer);
                }
                writer.WriteEndObject();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
