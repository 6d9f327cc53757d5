using System.Text.Json;

namespace FineTune.Service.Models;

/// <summary>Reads the answer to <c>DELETE /models/{model}</c>.</summary>
internal static class ModelJson
{
    public static ModelDeletion ReadDeletion(JsonElement json, string model) => new()
    {
        Id = json.GetStringOrNull("id") ?? model,
        Deleted = json.GetBooleanOrNull("deleted") ?? false,
    };
}
