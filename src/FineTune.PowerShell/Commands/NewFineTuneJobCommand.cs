using System;
using System.Collections;
using System.IO;
using System.Management.Automation;
using System.Threading.Tasks;
using FineTune.Models;
using FineTune.PowerShell.Service;
using FineTune.Service;
using FineTune.Service.Archive;
using FineTune.Service.Files;
using FineTune.Service.Jobs;
using FineTune.PowerShell.Completers;

namespace FineTune.PowerShell.Commands;

/// <summary>Starts a fine-tuning job.</summary>
/// <remarks>
/// <para>Creates a job that trains -Model on -TrainingFile, with the supervised method by default, or DPO (-Method Dpo, optionally with -Beta) or reinforcement (-Method Reinforcement with a -Grader). -Epochs, -BatchSize and -LearningRateMultiplier are chosen by the service unless given. -Suffix names the resulting model, -Seed makes the run reproducible, -Metadata tags the job (Get-FineTuneJob -Metadata finds it again) and -Integration sends its metrics to Weights and Biases.</para>
/// <para>-TrainingFile and -ValidationFile take a file id (file-...), a FineTune.ServiceFile from the pipeline (bound by its Id, as Send-FineTuneFile writes it), or the path of a local JSONL file, which is checked and uploaded first. Every local file is checked with Test-FineTuneDataset's rules before anything is asked or sent (unless -SkipValidation): a file with errors, such as a validation file of fewer than 10 examples (see Split-FineTuneDataset), is an error record, no file is uploaded and no job is created. -WhatIf runs the same checks, so it reports what the real call would refuse; otherwise it names the model and the files and, for a local training file, the cost estimate.</para>
/// <para>Each job is tagged with a request id of its own in its metadata (finetune_request_id). Whenever the answer to the create request is not a clean one (lost, a server error, a 408, 409 or 429, an answer marked x-should-retry, a 2xx that is not a job), the jobs carrying that id are looked up for up to 30 seconds, since the job list may show a new job late, before the request is repeated; a retry never starts a second job. When the job can still not be found, the error (FineTune.Service.OutcomeUnknown) says that it may exist and gives the Get-FineTuneJob -Metadata command that finds it.</para>
/// <para>On Azure OpenAI, -TrainingType chooses the training tier: Standard (in the resource's region), GlobalStandard (cheaper, anywhere) or Developer (cheaper still, preemptible); -WhatIf prices the job at that tier's catalog price when the catalog has one. Azure answers a job with no tier, or a tier the model lacks, with "The specified base model does not support fine-tuning": the error then says to pass -TrainingType.</para>
/// <para>A warning is written when the provider stops taking training jobs for the model, or the model stops answering, within 90 days (OpenAI stops new fine-tuning jobs on 2027-01-06), as recorded in the model catalog.</para>
/// <para>A FineTune.Job on the pipeline (-Job) is trained again: from Import-FineTuneArchive, with the archived training and validation files, uploaded first (and checked, unless -SkipValidation); from Get-FineTuneJob, with the job's file ids as they are (the same account). The new job gets the archived job's method, hyperparameters (the values the service chose, when it reported them), suffix (OpenAI reports it only in the fine-tuned model's name), seed, grader and metadata; -Suffix, -Seed, -Epochs, -BatchSize, -LearningRateMultiplier, -Beta and -Metadata given on the command line override them. What cannot be carried over (a hyperparameter FineTune has no parameter for, a Weights and Biases integration, an unknown suffix) is a warning.</para>
/// <para>The base model of a replay: -Model when given. Without -Model, the archived job's base model is used only when the model catalog (Get-FineTuneBaseModel) lists it for the connected provider with the job's method and it has not retired there; otherwise, and always for a job that continued training a fine-tuned model, the job is a FineTune.Job.ReplayModelRequired error asking for -Model, and nothing is uploaded. On Azure OpenAI the catalog's Azure entries apply; on a Compatible host, OpenAI's.</para>
/// <para>On Azure OpenAI, an uploaded file is used only once the service has processed it: the command waits for that (up to an hour) before creating the job.</para>
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
/// <code>New-FineTuneJob -Model gpt-4.1-2025-04-14 -TrainingFile ./train.jsonl -TrainingType GlobalStandard -WhatIf</code>
/// <para>On Azure OpenAI: shows the job on the Global training tier and its estimated cost at that tier's price.</para>
/// </example>
/// <example>
/// <code>New-FineTuneJob -Model gpt-4.1-mini-2025-04-14 -TrainingFile file-abc123 -Method Dpo -Beta 0.1 -Epochs 2 -Metadata @{ team = 'it' } -Wait</code>
/// <para>Starts a DPO job on an uploaded preference file, tags it, and waits until it ends.</para>
/// </example>
/// <example>
/// <code>Import-FineTuneArchive ./openai-archive | Where-Object Status -eq succeeded | New-FineTuneJob -Model gpt-4.1-mini-2025-04-14</code>
/// <para>Trains the data of every succeeded archived job again on the connected provider, with the same method, hyperparameters, suffix and seed, on gpt-4.1-mini; the archived files are uploaded first.</para>
/// </example>
[Cmdlet(VerbsCommon.New, "FineTuneJob", SupportsShouldProcess = true, DefaultParameterSetName = ReplaySet)]
[OutputType(typeof(Job))]
public sealed class NewFineTuneJobCommand : FineTuneJobCmdlet
{
    private const string FilesSet = "Files";

    /// <summary>The default set: with Model mandatory only in the files set, a job piped in without -Model binds here instead of prompting for one.</summary>
    private const string ReplaySet = "Replay";

    /// <summary>How long an Azure upload may stay unprocessed before the job is given up.</summary>
    private static readonly TimeSpan AzureProcessingTimeout = TimeSpan.FromHours(1);

    /// <summary>The base model to fine-tune, such as gpt-4o-mini-2024-07-18. With -Job, the new base model (see the description for when it is required).</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = FilesSet)]
    [Parameter(Position = 0, ParameterSetName = ReplaySet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ModelNameCompleter))]
    public string? Model { get; set; }

    /// <summary>The training data: a file id, a FineTune.ServiceFile from the pipeline, or a local JSONL path to upload first.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = FilesSet)]
    [Alias("Id", "FileId", "FullName")]
    [ValidateNotNullOrEmpty]
    public string? TrainingFile { get; set; }

    /// <summary>The validation data: a file id or a local JSONL path to upload first.</summary>
    [Parameter(ParameterSetName = FilesSet)]
    [ValidateNotNullOrEmpty]
    public string? ValidationFile { get; set; }

    /// <summary>A job to train again, from Import-FineTuneArchive (its archived files are uploaded) or Get-FineTuneJob (its file ids are used): same method, hyperparameters, suffix and seed.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ReplaySet)]
    [ValidateNotNull]
    public Job? Job { get; set; }

    /// <summary>Up to 64 characters added to the fine-tuned model's name.</summary>
    [Parameter]
    [ValidateLength(1, 64)]
    public string? Suffix { get; set; }

    /// <summary>The seed that makes the run reproducible; the service picks one when omitted.</summary>
    [Parameter]
    public long? Seed { get; set; }

    /// <summary>Azure OpenAI only: the training tier, Standard, GlobalStandard or Developer; sent as trainingType. The service's default when omitted.</summary>
    [Parameter]
    public TrainingType? TrainingType { get; set; }

    /// <summary>Supervised (the default), Dpo or Reinforcement.</summary>
    [Parameter(ParameterSetName = FilesSet)]
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
    [Parameter(ParameterSetName = FilesSet)]
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
        JobReplayPlan? replay = null;
        try
        {
            if (ParameterSetName == ReplaySet)
            {
                replay = PrepareReplay();
                options = replay.Options;
                localTraining = replay.TrainingPath;
                localValidation = replay.ValidationPath;
            }
            else
            {
                options = BuildOptions();
                localTraining = LocalFile(TrainingFile!, "TrainingFile");
                options.TrainingFile = localTraining is null ? TrainingFile! : Path.GetFileName(localTraining);
                if (ValidationFile is not null)
                {
                    localValidation = LocalFile(ValidationFile, "ValidationFile");
                    options.ValidationFile = localValidation is null ? ValidationFile : Path.GetFileName(localValidation);
                }
            }
            if (TrainingType is not null && CatalogProvider() != nameof(ServiceProvider.AzureOpenAI))
            {
                throw new FineTuneException("FineTune.Job.InvalidTrainingType", FailureKind.InvalidArgument,
                    "-TrainingType chooses an Azure OpenAI training tier; this connection is not to Azure OpenAI.", "TrainingType",
                    "Connect with -Provider AzureOpenAI, or leave out -TrainingType.");
            }
            options.Validate();
        }
        catch (FineTuneException ex)
        {
            WriteError(ex, (object?)Job ?? TrainingFile);
            return;
        }
        WarnAboutDeadlines(options.Model);
        foreach (string warning in replay?.Warnings ?? Array.Empty<string>())
        {
            WriteWarning(warning);
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
            ? replay?.Describe(CatalogProvider(), CancellationToken) ?? JobCreatePlan.Describe(options, localTraining, localValidation, CatalogProvider(), CancellationToken)
            : replay?.DescribeWithoutEstimate() ?? JobCreatePlan.DescribeWithoutEstimate(options, localTraining, localValidation);
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
        }, (object?)Job ?? TrainingFile);
        if (created is null)
        {
            return;
        }
        if (Wait.IsPresent)
        {
            Client.Log($"Created job {created.Id}; waiting for it to end.");
            WaitForJob(created.Id, Timeout, PollInterval, onlyNewEvents: false);
        }
        else
        {
            WriteObject(created);
        }
    }

    /// <summary>Warns when the catalog says the model stops training or answering soon on this provider.</summary>
    private void WarnAboutDeadlines(string model)
    {
        try
        {
            if (FineTune.Models.ModelCatalog.Load().Resolve(model, CatalogProvider() ?? nameof(ServiceProvider.OpenAI)) is { } known)
            {
                foreach (string warning in FineTune.Models.ModelDeadlines.For(known, DateTime.UtcNow.Date))
                {
                    WriteWarning(warning);
                }
            }
        }
        catch (FineTuneException ex)
        {
            WriteVerbose($"The model catalog could not be read for deadlines: {ex.Message}");
        }
    }

    /// <summary>The job that trains -Job's data again, with what the command line overrides.</summary>
    private JobReplayPlan PrepareReplay()
    {
        JobReplayPlan replay = JobReplay.Prepare(Job!, Model, CatalogProvider(), ModelCatalog.Load(), DateTime.UtcNow.Date);
        JobCreateOptions options = replay.Options;
        options.Suffix = Suffix ?? options.Suffix;
        options.Seed = Seed ?? options.Seed;
        options.Epochs = Epochs ?? options.Epochs;
        options.BatchSize = BatchSize ?? options.BatchSize;
        options.LearningRateMultiplier = LearningRateMultiplier ?? options.LearningRateMultiplier;
        options.Beta = Beta ?? options.Beta;
        options.TrainingType = TrainingType ?? options.TrainingType;
        AddMetadataAndIntegrations(options);
        return replay;
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
            TrainingType = TrainingType,
            Epochs = Epochs,
            BatchSize = BatchSize,
            LearningRateMultiplier = LearningRateMultiplier,
            Beta = Beta,
            GraderJson = Grader,
        };
        AddMetadataAndIntegrations(options);
        return options;
    }

    private void AddMetadataAndIntegrations(JobCreateOptions options)
    {
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
        if (file is null)
        {
            return null;
        }
        WriteVerbose($"Uploaded '{path}' as {file.Id}.");
        if (ResolveConnection().Provider == ServiceProvider.AzureOpenAI && !RunService(async (client, token) =>
            {
                await new FilesApi(client).WaitForProcessingAsync(file.Id, AzureProcessingTimeout,
                    polled => Post(() => WriteVerbose($"File {polled.Id} is '{polled.Status}'.")), token).ConfigureAwait(false);
            }, path))
        {
            return null;
        }
        return file.Id;
    }
}
