using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FineTune.Models;

/// <summary>
/// The catalog of fine-tunable base models: a JSON data file embedded in the engine, optionally
/// merged with the user's own file (entries with the same provider and snapshot are overlaid
/// field by field; others are added), so prices and limits can change without a release.
/// </summary>
public sealed class ModelCatalog
{
    /// <summary>Environment variable naming a catalog file to merge over the embedded one.</summary>
    public const string PathEnvironmentVariable = "FINETUNE_CATALOG_PATH";

    private const string ResourceName = "FineTune.Models.base-models.json";
    private static readonly Lazy<ModelCatalog> s_embedded = new(() => Parse(ReadEmbedded(), null, ResourceName));

    private ModelCatalog(IReadOnlyList<BaseModel> models, IReadOnlyList<string> notes)
    {
        Models = models;
        Notes = notes;
    }

    /// <summary>The catalog shipped in the engine, without any user file.</summary>
    public static ModelCatalog Embedded => s_embedded.Value;

    public IReadOnlyList<BaseModel> Models { get; }

    /// <summary>Where the figures come from and when they were gathered.</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>
    /// The embedded catalog merged with <paramref name="overridePath"/>, or with the file named by
    /// FINETUNE_CATALOG_PATH when no path is given; the embedded catalog alone when neither is set.
    /// </summary>
    /// <exception cref="FineTuneException">The file does not exist or is not a valid catalog.</exception>
    public static ModelCatalog Load(string? overridePath = null)
    {
        string? path = !string.IsNullOrEmpty(overridePath) ? overridePath : Environment.GetEnvironmentVariable(PathEnvironmentVariable);
        if (path is null || path.Length == 0)
        {
            return Embedded;
        }
        if (!File.Exists(path))
        {
            throw new FineTuneException("FineTune.Catalog.NotFound", FailureKind.ObjectNotFound,
                $"The model catalog file '{path}' does not exist.", path,
                $"Check the path given with -CatalogPath or in the {PathEnvironmentVariable} environment variable.");
        }
        return Parse(ReadEmbedded(), File.ReadAllText(path), path);
    }

    /// <summary>
    /// The base model a model name stands for: a snapshot (<c>gpt-4o-mini-2024-07-18</c>), an
    /// alias (<c>gpt-4o-mini</c>), an OpenAI fine-tuned model (<c>ft:gpt-4o-mini-2024-07-18:org:suffix:id</c>)
    /// or an Azure one (<c>gpt-4o-mini-2024-07-18.ft-0123abcd</c>). Null when the catalog does not know it.
    /// </summary>
    /// <param name="model">The model name.</param>
    /// <param name="provider">The provider whose entry to prefer; OpenAI when null.</param>
    public BaseModel? Resolve(string model, string? provider = null)
    {
        if (string.IsNullOrWhiteSpace(model))
        {
            return null;
        }
        string name = BaseNameOf(model.Trim());
        IEnumerable<BaseModel> candidates = Models.Where(m => provider is null || string.Equals(m.Provider, provider, StringComparison.OrdinalIgnoreCase));
        IEnumerable<BaseModel> ordered = candidates.OrderBy(m => string.Equals(m.Provider, "OpenAI", StringComparison.OrdinalIgnoreCase) ? 0 : 1);
        return ordered.FirstOrDefault(m => string.Equals(m.Snapshot, name, StringComparison.OrdinalIgnoreCase))
            ?? ordered.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>True for a fine-tuned model's name: OpenAI's <c>ft:...</c> or Azure's <c>base.ft-...</c>.</summary>
    public static bool IsFineTunedName(string model) => ProviderOfFineTunedName(model) is not null;

    /// <summary>The base model part of a fine-tuned model name, or the name itself.</summary>
    public static string BaseNameOf(string model)
    {
        if (model.StartsWith("ft:", StringComparison.OrdinalIgnoreCase))
        {
            string[] parts = model.Split(':');
            return parts.Length > 1 && parts[1].Length > 0 ? parts[1] : model;
        }
        int azure = model.IndexOf(".ft-", StringComparison.OrdinalIgnoreCase);
        return azure > 0 ? model.Substring(0, azure) : model;
    }

    /// <summary>
    /// The provider whose naming a fine-tuned model name follows: OpenAI for <c>ft:...</c>,
    /// AzureOpenAI for <c>....ft-...</c>; null for any other name (an alias or snapshot, which
    /// every provider may offer).
    /// </summary>
    public static string? ProviderOfFineTunedName(string model)
    {
        if (model.StartsWith("ft:", StringComparison.OrdinalIgnoreCase))
        {
            return "OpenAI";
        }
        return model.IndexOf(".ft-", StringComparison.OrdinalIgnoreCase) > 0 ? "AzureOpenAI" : null;
    }

    private static string ReadEmbedded()
    {
        using Stream stream = typeof(ModelCatalog).GetTypeInfo().Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The engine assembly lacks its embedded resource '{ResourceName}'.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static ModelCatalog Parse(string embeddedJson, string? overrideJson, string source)
    {
        JsonObject root = ParseRoot(embeddedJson, ResourceName);
        var entries = ModelsOf(root, ResourceName).ToList();
        var notes = NotesOf(root);
        if (overrideJson is not null)
        {
            JsonObject user = ParseRoot(overrideJson, source);
            notes.AddRange(NotesOf(user));
            foreach (JsonObject entry in ModelsOf(user, source))
            {
                JsonObject? existing = entries.FirstOrDefault(e => SameKey(e, entry));
                if (existing is null)
                {
                    entries.Add(entry.DeepClone().AsObject());
                    continue;
                }
                foreach (KeyValuePair<string, JsonNode?> property in entry)
                {
                    existing[property.Key] = property.Value?.DeepClone();
                }
            }
        }
        var models = new List<BaseModel>();
        for (int i = 0; i < entries.Count; i++)
        {
            models.Add(ToModel(entries[i], i, source));
        }
        return new ModelCatalog(models, notes);
    }

    private static JsonObject ParseRoot(string json, string source)
    {
        try
        {
            return JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) as JsonObject
                ?? throw Invalid(source, "the file must hold one JSON object with a \"models\" array");
        }
        catch (JsonException ex)
        {
            throw new FineTuneException("FineTune.Catalog.Invalid", FailureKind.InvalidData,
                $"The model catalog '{source}' is not valid JSON (line {ex.LineNumber + 1}, position {ex.BytePositionInLine + 1}): {ex.Message}",
                source, "Fix the JSON syntax at that position.", ex);
        }
    }

    private static IEnumerable<JsonObject> ModelsOf(JsonObject root, string source)
    {
        if (root["models"] is not JsonArray models)
        {
            throw Invalid(source, "it has no \"models\" array");
        }
        for (int i = 0; i < models.Count; i++)
        {
            yield return models[i] as JsonObject ?? throw Invalid(source, $"models[{i}] is not a JSON object");
        }
    }

    private static List<string> NotesOf(JsonObject root) => root["notes"] switch
    {
        JsonArray array => array.Select(n => n?.ToString() ?? "").Where(n => n.Length > 0).ToList(),
        JsonValue value => new List<string> { value.ToString() },
        _ => new List<string>(),
    };

    private static bool SameKey(JsonObject a, JsonObject b) =>
        string.Equals(a["provider"]?.ToString(), b["provider"]?.ToString(), StringComparison.OrdinalIgnoreCase)
        && string.Equals(a["snapshot"]?.ToString(), b["snapshot"]?.ToString(), StringComparison.OrdinalIgnoreCase);

    private static BaseModel ToModel(JsonObject entry, int index, string source)
    {
        string Required(string field)
        {
            string? value = entry[field] is JsonValue v && v.TryGetValue(out string? s) ? s : null;
            return !string.IsNullOrWhiteSpace(value) ? value! : throw Invalid(source, $"models[{index}].{field} is missing or not a string");
        }
        string snapshot = Required("snapshot");
        string encoding = Required("encoding");
        if (!Tokens.TokenEncoding.Names.Contains(encoding, StringComparer.OrdinalIgnoreCase))
        {
            throw Invalid(source, $"models[{index}].encoding '{encoding}' ({snapshot}) is not one of {string.Join(", ", Tokens.TokenEncoding.Names)}");
        }
        int? limit = Number(entry, "maxTokensPerExample", index, source) is decimal d ? (int)d : null;
        if (limit is <= 0)
        {
            throw Invalid(source, $"models[{index}].maxTokensPerExample must be positive");
        }
        var methods = entry["methods"] is JsonArray array
            ? array.Select(m => m?.ToString() ?? "").Where(m => m.Length > 0).ToArray()
            : Array.Empty<string>();
        DateTime? retirement = Date(entry, "retirementDate", index, source);
        var model = new BaseModel(
            Required("provider"),
            entry["name"]?.ToString() is { Length: > 0 } name ? name : snapshot,
            snapshot,
            encoding.ToLowerInvariant(),
            limit,
            methods,
            Number(entry, "trainingPricePerMillionTokens", index, source),
            Number(entry, "reinforcementPricePerHour", index, source),
            entry["currency"]?.ToString() is { Length: > 0 } currency ? currency : "USD",
            retirement)
        {
            InputPricePerMillionTokens = Number(entry, "inputPricePerMillionTokens", index, source),
            OutputPricePerMillionTokens = Number(entry, "outputPricePerMillionTokens", index, source),
            FineTunedInputPricePerMillionTokens = Number(entry, "fineTunedInputPricePerMillionTokens", index, source),
            FineTunedOutputPricePerMillionTokens = Number(entry, "fineTunedOutputPricePerMillionTokens", index, source),
        };
        model.InferenceRetirementDate = Date(entry, "inferenceRetirementDate", index, source);
        model.TrainingTypes = entry["trainingTypes"] is JsonArray types
            ? ValueList<string>.Of(types.Select(t => t?.ToString() ?? "").Where(t => t.Length > 0))
            : ValueList<string>.None;
        model.TrainingPricesPerMillionTokens = Prices(entry, "trainingPricesPerMillionTokens", index, source);
        model.HostingPricesPerHour = Prices(entry, "hostingPricesPerHour", index, source);
        return model;
    }

    private static DateTime? Date(JsonObject entry, string field, int index, string source)
    {
        if (entry[field] is not JsonValue value)
        {
            return null;
        }
        return value.TryGetValue(out string? text) && DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTime date)
            ? date
            : throw Invalid(source, $"models[{index}].{field} must be a yyyy-MM-dd string or null");
    }

    /// <summary>A map of names (training tiers, deployment SKUs) to non-negative prices.</summary>
    private static IReadOnlyDictionary<string, decimal> Prices(JsonObject entry, string field, int index, string source)
    {
        var prices = new Dictionary<string, decimal>(StringComparer.OrdinalIgnoreCase);
        if (entry[field] is null)
        {
            return ValueMap<decimal>.None;
        }
        if (entry[field] is not JsonObject map)
        {
            throw Invalid(source, $"models[{index}].{field} must be an object of names and prices");
        }
        foreach (KeyValuePair<string, JsonNode?> pair in map)
        {
            if (pair.Value is null)
            {
                continue;
            }
            prices[pair.Key] = pair.Value is JsonValue v && v.TryGetValue(out decimal price) && price >= 0
                ? price
                : throw Invalid(source, $"models[{index}].{field}.{pair.Key} must be a non-negative number or null");
        }
        return ValueMap<decimal>.Of(prices, StringComparer.OrdinalIgnoreCase);
    }

    private static decimal? Number(JsonObject entry, string field, int index, string source)
    {
        JsonNode? node = entry[field];
        if (node is null)
        {
            return null;
        }
        if (node is JsonValue value && value.TryGetValue(out decimal number) && number >= 0)
        {
            return number;
        }
        throw Invalid(source, $"models[{index}].{field} must be a non-negative number or null");
    }

    private static FineTuneException Invalid(string source, string reason) =>
        new("FineTune.Catalog.Invalid", FailureKind.InvalidData, $"The model catalog '{source}' is not valid: {reason}.", source,
            "Fix the entry; every model needs provider, snapshot and encoding, and numbers must be numbers or null.");
}
