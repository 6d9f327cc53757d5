using System;
using System.Linq;
using FineTune.Models;
using FineTune.Tokens;

namespace FineTune.Measurement;

/// <summary>
/// The encoding and token limit to count with: from a catalog model, overridden by an explicit
/// encoding or limit, or the default model when nothing is given.
/// </summary>
public sealed class ModelSelection
{
    /// <summary>The model used when neither a model nor an encoding is given.</summary>
    public const string DefaultModel = "gpt-4o-mini";

    private ModelSelection(BaseModel? model, TokenEncoding encoding, int? tokenLimit)
    {
        Model = model;
        Encoding = encoding;
        TokenLimit = tokenLimit;
    }

    /// <summary>The catalog entry, or null when only an encoding was given.</summary>
    public BaseModel? Model { get; }

    public TokenEncoding Encoding { get; }

    public int? TokenLimit { get; }

    /// <param name="catalog">The model catalog.</param>
    /// <param name="model">A model name (alias, snapshot or fine-tuned name), or null.</param>
    /// <param name="provider">The provider whose catalog entry to use, or null for OpenAI's.</param>
    /// <param name="encoding">Overrides the model's encoding.</param>
    /// <param name="tokenLimit">Overrides the model's token limit.</param>
    /// <exception cref="FineTuneException">The model is unknown and no encoding is given, or the limit is not positive.</exception>
    public static ModelSelection Resolve(ModelCatalog catalog, string? model, string? provider, string? encoding, int? tokenLimit)
    {
        if (tokenLimit is <= 0)
        {
            throw new FineTuneException("FineTune.Measure.InvalidTokenLimit", FailureKind.InvalidArgument,
                $"The token limit must be positive, not {tokenLimit}.", tokenLimit);
        }
        BaseModel? entry = null;
        string? wanted = model ?? (encoding is null ? DefaultModel : null);
        if (wanted is not null)
        {
            entry = catalog.Resolve(wanted, provider);
            if (entry is null && encoding is null)
            {
                string known = string.Join(", ", catalog.Models.Where(m => provider is null || string.Equals(m.Provider, provider, StringComparison.OrdinalIgnoreCase))
                    .Select(m => m.Name).Distinct(StringComparer.OrdinalIgnoreCase));
                throw new FineTuneException("FineTune.Catalog.ModelNotFound", FailureKind.ObjectNotFound,
                    $"The model catalog has no entry for '{wanted}'{(provider is null ? "" : " on " + provider)}.", wanted,
                    $"Use one of: {known}; or add the model to your catalog file (-CatalogPath or FINETUNE_CATALOG_PATH); the Measure cmdlets also take -Encoding and -TokenLimit instead of a model.");
            }
        }
        TokenEncoding tokens = TokenEncoding.Get(encoding ?? entry!.Encoding);
        return new ModelSelection(entry, tokens, tokenLimit ?? entry?.TokenLimit);
    }
}
