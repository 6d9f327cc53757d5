using System;
using System.Collections;
using System.IO;
using System.Management.Automation;
using System.Threading.Tasks;
using FineTune.PowerShell.Service;
using FineTune.Service.Files;
using FineTune.Service.Jobs;
using FineTune.PowerShell.Completers;

namespace FineTune.PowerShell.Commands;

/// <summary>Starts a fine-tuning job.</summary>
/// <remarks>
/// <para>Creates a job that trains -Model on -TrainingFile, with the supervised method by default, or DPO (-Method Dpo, optionally with -Beta) or reinforcement (-Method Reinforcement with a -Grader). -Epochs, -BatchSize and -LearningRateMultiplier are chosen by the service unless given. -Suffix names the resulting model, -Seed makes the run reproducible, -Metadata tags the job (Get-FineTuneJob -Metadata finds it again) and -Integration sends its metrics to Weights and Biases.</para>
/// <para>-TrainingFile and -ValidationFile take a file id (file-...), a FineTune.ServiceFile from the pipeline (bound by its Id, as Send-FineTuneFile writes it), or the path of a local JSONL file, which is checked and uploaded first. Every local file is checked with Test-FineTuneDataset's rules before anything is asked or sent (unless -SkipValidation): a file with errors, such as a validation file of fewer than 10 examples (see Split-FineTuneDataset), is an error record, no file is uploaded and no job is created. -WhatIf runs the same checks, so it reports what the real call would refuse; otherwise it names the model and the files and, for a local training file, the cost estimate.</para>
/// <para>Each job is tagged with a request id of its own in its metadata (finetune_request_id): when the answer to the create request is lost, the jobs carrying that id are looked up before the request is repeated, so a retry never starts a second job.</para>
/// <para>Outputs the new FineTune.Job; with -Wait, waits like Wait-FineTuneJob and outputs the finished job instead.</para>
/// </remarks>
/// <example>
/// <code>Send-FineTuneFile ./train.jsonl | New-FineTuneJob -Model gpt-4o-mini-2024-07-18 -Suffix helpdesk</code>
/// <para>Uploads a training file and starts a supervised job on it.</para>
/// </example>
/// <example>
/// <code>New-FineTuneJob -Model gpt-4o-mini-2024-07-18 -TrainingFile ./train.jsonl -ValidationFile ./valid.jsonl -WhatIf</code>
/// <para>Shows the job that would be created, the files that would be uploaded and the estimated cost, without doing anything.</para>
/// </example>
/// <example>
/// <code>New-FineTuneJob -Model gpt-4.1-mini-2025-04-14 -TrainingFile file-abc123 -Method Dpo -Beta 0.1 -Epochs 2 -Metadata @{ team = 'it' } -Wait</code>
/// <para>Starts a DPO job on an uploaded preference file, tags it, and waits until it ends.</para>
/// </example>
[Cmdlet(VerbsCommon.New, "FineTuneJob", SupportsShouldProcess = true)]
[OutputType(typeof(Job))]
public sealed class NewFineTuneJobCommand : FineTuneJobCmdlet
{
    /// <summary>The base model to fine-tune, such as gpt-4o-mini-2024-07-18.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ModelNameCompleter))]
    public string? Model { get; set; }

    /// <summary>The training data: a file id, a FineTune.ServiceFile from the pipeline, or a local JSONL path to upload first.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Id", "FileId", "FullName")]
    [ValidateNotNullOrEmpty]
    public string? TrainingFile { get; set; }

    /// <summary>The validation data: a file id or a local JSONL path to upload first.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ValidationFile { get; set; }

    /// <summary>Up to 64 characters added to the fine-tuned model's name.</summary>
    [Parameter]
    [ValidateLength(1, 64)]
    public string? Suffix { get; set; }

    /// <summary>The seed that makes the run reproducible; the service picks one when omitted.</summary>
    [Parameter]
    public long? Seed { get; set; }

    /// <summary>Supervised (the default), Dpo or Reinforcement.</summary>
    [Parameter]
    public FineTuneMethod Method { get; set; } = FineTuneMethod.Supervised;

    /// <summary>Passes over the training data, 1 to 50; chosen by the service when omitted.</summary>
    [Parameter]
    [ValidateRange(1, 50)]
    public int? Epochs { get; set; }

    /// <summary>Examples per batch, 1 to 256; chosen by the service when omitted.</summary>
    [Parameter]
    [ValidateRange(1, 256)]
    public int? BatchSize { get; set; }

    /// <summary>Scaling factor of the learning rate, greater than 0; chosen by the service when omitted.</summary>
    [Parameter]
    public double? LearningRateMultiplier { get; set; }

    /// <summary>DPO only: weight of the penalty between policy and reference model, greater than 0 and at most 2.</summary>
    [Parameter]
    public double? Beta { get; set; }

    /// <summary>Reinforcement only (and required there): the grader object as JSON text.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Grader { get; set; }

    /// <summary>Key-value pairs to tag the job with (at most 15; keys up to 64 characters, values up to 512).</summary>
    [Parameter]
    [ValidateNotNull]
    public Hashtable? Metadata { get; set; }

    /// <summary>Weights and Biases integrations, each a hashtable such as @{ Project = 'ft'; Entity = 'team'; Name = 'run'; Tags = 'a','b' }.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public Hashtable[]? Integration { get; set; }

    /// <summary>Uploads local files without checking them first.</summary>
    [Parameter]
    public SwitchParameter SkipValidation { get; set; }

    /// <summary>Waits until the job ends and outputs the finished job (see Wait-FineTuneJob).</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary>With -Wait: how long to wait at most, for example '02:00:00'.</summary>
    [Parameter]
    [ValidateWaitTime]
    public TimeSpan? Timeout { get; set; }

    /// <summary>With -Wait: the first pause between two polls (five seconds by default).</summary>
    [Parameter]
    [ValidateWaitTime]
    public TimeSpan? PollInterval { get; set; }

    protected override void ProcessRecord()
    {
        JobCreateOptions options;
        string? localTraining;
        string? localValidation = null;
        try
        {
            options = BuildOptions();
            localTraining = LocalFile(TrainingFile!, "TrainingFile");
            options.TrainingFile = localTraining is null ? TrainingFile! : Path.GetFileName(localTraining);
            if (ValidationFile is not null)
            {
                localValidation = LocalFile(ValidationFile, "ValidationFile");
                options.ValidationFile = localValidation is null ? ValidationFile : Path.GetFileName(localValidation);
            }
            options.Validate();
        }
        catch (FineTuneException ex)
        {
            WriteError(ex, TrainingFile);
            return;
        }

        // The checks the uploads would run, before anything is asked or sent: -WhatIf then says what
        // would fail, and a bad validation file never leaves an uploaded training file behind.
        if (!SkipValidation.IsPresent)
        {
            foreach (string? local in new[] { localTraining, localValidation })
            {
                if (local is not null && !PassesUploadPrecheck(local, "and no job was created"))
                {
                    return;
                }
            }
        }

        // Estimating the cost reads the whole training file: do it only when someone will see it.
        string plan = WillAskOrTell()
            ? JobCreatePlan.Describe(options, localTraining, localValidation, CatalogProvider(), CancellationToken)
            : JobCreatePlan.DescribeWithoutEstimate(options, localTraining, localValidation);
        if (!ShouldProcess(plan, plan + " Continue?", "New-FineTuneJob"))
        {
            return;
        }
        if (localTraining is not null)
        {
            if (Upload(localTraining) is not { } id)
            {
                return;
            }
            options.TrainingFile = id;
        }
        if (localValidation is not null)
        {
            if (Upload(localValidation) is not { } id)
            {
                return;
            }
            options.ValidationFile = id;
        }

        Job? created = null;
        RunService(async (client, token) =>
        {
            created = await new JobsClient(client).CreateAsync(options, token).ConfigureAwait(false);
        }, TrainingFile);
        if (created is null)
        {
            return;
        }
        if (Wait.IsPresent)
        {
            WriteVerbose($"Created job {created.Id}; waiting for it to end.");
            WaitForJob(created.Id, Timeout, PollInterval, onlyNewEvents: false);
        }
        else
        {
            WriteObject(created);
        }
    }

    /// <summary>True under -WhatIf, or when a confirmation prompt will be shown (-Confirm, or $ConfirmPreference at Medium or lower).</summary>
    private bool WillAskOrTell()
    {
        if (IsOn("WhatIf", "WhatIfPreference") || IsOn("Confirm", null))
        {
            return true;
        }
        object? preference = GetVariableValue("ConfirmPreference");
        preference = preference is PSObject wrapped ? wrapped.BaseObject : preference;
        return preference is ConfirmImpact impact && impact != ConfirmImpact.None && impact <= ConfirmImpact.Medium;
    }

    private bool IsOn(string parameter, string? preferenceVariable)
    {
        if (MyInvocation.BoundParameters.TryGetValue(parameter, out object? bound))
        {
            return bound is SwitchParameter switchValue ? switchValue.IsPresent : LanguagePrimitives.IsTrue(bound);
        }
        return preferenceVariable is not null && LanguagePrimitives.IsTrue(GetVariableValue(preferenceVariable));
    }

    private JobCreateOptions BuildOptions()
    {
        var options = new JobCreateOptions
        {
            Model = Model!,
            Method = Method,
            Suffix = Suffix,
            Seed = Seed,
            Epochs = Epochs,
            BatchSize = BatchSize,
            LearningRateMultiplier = LearningRateMultiplier,
            Beta = Beta,
            GraderJson = Grader,
        };
        if (Metadata is not null)
        {
            foreach (DictionaryEntry entry in Metadata)
            {
                options.Metadata[entry.Key.ToString()!] = entry.Value is null
                    ? throw new FineTuneException("FineTune.Job.InvalidMetadata", FailureKind.InvalidArgument,
                        $"The metadata key '{entry.Key}' has no value.", "Metadata", "Give every key a string value.")
                    : LanguagePrimitives.ConvertTo<string>(entry.Value);
            }
        }
        foreach (Hashtable integration in Integration ?? Array.Empty<Hashtable>())
        {
            options.Integrations.Add(WandbIntegration.FromDictionary(integration));
        }
        return options;
    }

    /// <summary>The local file <paramref name="value"/> names, or null when it is a file id.</summary>
    private string? LocalFile(string value, string parameter)
    {
        string? resolved = null;
        try
        {
            resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(value);
        }
        catch (Exception ex) when (ex is ItemNotFoundException or System.Management.Automation.DriveNotFoundException or ProviderNotFoundException or NotSupportedException or ArgumentException)
        {
            // Not a usable path: it may still be a file id.
        }
        if (resolved is not null && File.Exists(resolved))
        {
            return resolved;
        }
        if (JobCreateOptions.LooksLikeFileId(value))
        {
            return null;
        }
        throw new FineTuneException("FineTune.Path.NotFound", FailureKind.ObjectNotFound,
            $"-{parameter} '{value}' is neither an existing file nor a file id.", value,
            "Pass the path of a JSONL file, or the id of an uploaded file (Get-FineTuneFile lists them).");
    }

    /// <summary>Uploads a local file (checked already) as Send-FineTuneFile does; its id, or null after an error.</summary>
    private string? Upload(string path)
    {
        ServiceFile? file = UploadWithProgress(path, new FileUploadOptions());
        if (file is not null)
        {
            WriteVerbose($"Uploaded '{path}' as {file.Id}.");
        }
        return file?.Id;
    }
}
