using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using FineTune.Models;
using FineTune.PowerShell.Completers;

namespace FineTune.PowerShell.Commands;

/// <summary>Gets the fine-tunable base models of the model catalog: encoding, token limit, methods, prices and retirement date.</summary>
/// <remarks>
/// <para>The catalog is a data file embedded in the module, listing per provider (OpenAI, AzureOpenAI) each base model's snapshot, token encoding, most tokens per training example, training methods (supervised, dpo, reinforcement, vision), training price per 1M tokens (per hour for reinforcement), currency and retirement date. Its notes say where each figure comes from and when it was gathered; unknown figures are empty rather than guessed.</para>
/// <para>Prices and limits change: point -CatalogPath (or the FINETUNE_CATALOG_PATH environment variable) at your own JSON file with the same shape. Its entries are merged over the embedded ones by provider and snapshot, field by field; new entries are added.</para>
/// <para>Fine-tuned model names resolve to their one base model: ft:gpt-4o-mini-2024-07-18:org:suffix:id to OpenAI's entry, gpt-4o-mini-2024-07-18.ft-0123abcd to Azure OpenAI's (each provider names its models one way), unless -Provider says otherwise. Retired models are left out unless -IncludeRetired is given.</para>
/// <para>For Azure OpenAI, each model also lists its training tiers (TrainingTypes), the known price per 1M tokens of each tier (TrainingPricesPerMillionTokens) and the hourly hosting charge of a deployment per SKU (HostingPricesPerHour). A warning is written for each model shown whose provider stops taking training jobs, or which stops answering with its fine-tunes, within 90 days: OpenAI stops new fine-tuning jobs on 2027-01-06 and retires gpt-4o, gpt-4o-mini, gpt-4.1 and gpt-4.1-mini with their fine-tunes on 2027-01-14.</para>
/// <para>The table, grouped by provider, shows what to decide with first: snapshot, token limit, price per 1M training tokens, currency, retirement date (a day, yyyy-MM-dd) and methods; Format-List shows every property, including the encoding and the hourly price of reinforcement training.</para>
/// </remarks>
/// <example>
/// <code>Get-FineTuneBaseModel</code>
/// <para>Lists every base model that can still be fine-tuned, for all providers.</para>
/// </example>
/// <example>
/// <code>Get-FineTuneBaseModel gpt-4.1* -Provider AzureOpenAI</code>
/// <para>Lists the GPT-4.1 family on Azure OpenAI.</para>
/// </example>
/// <example>
/// <code>Get-FineTuneBaseModel 'ft:gpt-4o-mini-2024-07-18:my-org:helpdesk:AbC123'</code>
/// <para>Shows the base model a fine-tuned model was trained from, with its limit, price and retirement date.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "FineTuneBaseModel")]
[OutputType(typeof(BaseModel))]
public sealed class GetFineTuneBaseModelCommand : FineTuneCmdlet
{
    /// <summary>Model names, snapshots or fine-tuned model names to get; wildcards are allowed. All models when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Model", "Snapshot")]
    [ArgumentCompleter(typeof(ModelNameCompleter))]
    [SupportsWildcards]
    public string[]? Name { get; set; }

    /// <summary>Only models of this provider: OpenAI or AzureOpenAI.</summary>
    [Parameter]
    [ValidateSet("OpenAI", "AzureOpenAI")]
    public string? Provider { get; set; }

    /// <summary>Also return models whose retirement date has passed.</summary>
    [Parameter]
    public SwitchParameter IncludeRetired { get; set; }

    /// <summary>A catalog JSON file merged over the embedded catalog; defaults to the FINETUNE_CATALOG_PATH environment variable.</summary>
    [Parameter]
    public string? CatalogPath { get; set; }

    private ModelCatalog? _catalog;

    protected override void BeginProcessing()
    {
        try
        {
            _catalog = ModelCatalog.Load(CatalogPath is null ? null : ResolveOutputPath(CatalogPath));
        }
        catch (FineTuneException ex)
        {
            ThrowTerminatingError(ex, CatalogPath);
        }
    }

    private readonly HashSet<string> _warned = new(StringComparer.Ordinal);

    protected override void ProcessRecord()
    {
        DateTime today = DateTime.UtcNow.Date;
        var models = _catalog!.Models.Where(m => Provider is null || string.Equals(m.Provider, Provider, StringComparison.OrdinalIgnoreCase));
        if (Name is null || Name.Length == 0)
        {
            foreach (BaseModel model in models.Where(m => IncludeRetired || !m.IsRetired(today)))
            {
                WriteObject(model);
                Warn(model, today);
            }
            return;
        }
        foreach (string name in Name)
        {
            string baseName = ModelCatalog.BaseNameOf(name);
            var pattern = new WildcardPattern(baseName, WildcardOptions.IgnoreCase);
            string? namedBy = Provider is null ? ModelCatalog.ProviderOfFineTunedName(name) : null;
            var matches = models.Where(m => pattern.IsMatch(m.Name) || pattern.IsMatch(m.Snapshot))
                .Where(m => namedBy is null || string.Equals(m.Provider, namedBy, StringComparison.OrdinalIgnoreCase)).ToList();
            var shown = matches.Where(m => IncludeRetired || !m.IsRetired(today)).ToList();
            foreach (BaseModel model in shown)
            {
                WriteObject(model);
                Warn(model, today);
            }
            if (shown.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(baseName))
            {
                string reason = matches.Count > 0 ? " that is not retired (use -IncludeRetired to see retired models)" : "";
                WriteError(ToErrorRecord("FineTune.Catalog.ModelNotFound", ErrorCategory.ObjectNotFound,
                    $"The model catalog has no entry for '{name}'{(Provider is null ? "" : " on " + Provider)}{reason}.", name,
                    "Run Get-FineTuneBaseModel without -Name to list the models, or add the model to your catalog file (-CatalogPath)."));
            }
        }
    }

    /// <summary>Says what is ending soon for a model shown (each sentence once per command).</summary>
    private void Warn(BaseModel model, DateTime today)
    {
        foreach (string warning in FineTune.Models.ModelDeadlines.For(model, today))
        {
            if (_warned.Add(warning))
            {
                WriteWarning(warning);
            }
        }
    }
}
