using System;
using System.Globalization;
using System.Management.Automation;
using FineTune.Models;
using FineTune.PowerShell.Completers;
using FineTune.Service.Deployments;

namespace FineTune.PowerShell.Commands;

/// <summary>Deploys a fine-tuned model on Azure OpenAI so that it can answer.</summary>
/// <remarks>
/// <para>On Azure OpenAI a fine-tuned model answers nothing until it is deployed. This creates the deployment -Name of -Model (a fine-tuned model such as gpt-4.1-mini-2025-04-14.ft-0123abcd, or a checkpoint id ftchkpt-...) through Azure Resource Manager, with a Resource Manager token from the connection's own sign-in, then waits until Azure reports it Succeeded, with a progress bar (-NoWait returns at once). Afterwards Invoke-FineTuneChat -Model &lt;name&gt; talks to it.</para>
/// <para>-Sku chooses how it is hosted: Standard (in the resource's region) and GlobalStandard charge by the hour while the deployment exists, plus tokens; DeveloperTier charges tokens only, has no availability promise, and is deleted by Azure 24 hours after it is created. -WhatIf states the hourly charge from the model catalog and Developer's lifetime. -Capacity is the deployment's capacity in units of 1,000 tokens per minute (1 by default).</para>
/// <para>The account is found from the connected endpoint among the accounts the identity can see, or named with -SubscriptionId, -ResourceGroupName and -AccountName. The identity needs a role that may create deployments on it, such as Cognitive Services OpenAI Contributor. Creating a deployment of an existing name updates it.</para>
/// </remarks>
/// <example>
/// <code>Get-FineTuneJob -Id ftjob-abc123 | New-FineTuneDeployment -Name helpdesk -Sku DeveloperTier</code>
/// <para>Deploys the model a finished job produced, for testing, without an hourly fee; Azure removes it after 24 hours.</para>
/// </example>
/// <example>
/// <code>New-FineTuneDeployment -Name helpdesk -Model gpt-4.1-mini-2025-04-14.ft-0123abcd -Sku GlobalStandard -WhatIf</code>
/// <para>Shows the deployment that would be made and what it costs per hour, without making it.</para>
/// </example>
[Cmdlet(VerbsCommon.New, "FineTuneDeployment", SupportsShouldProcess = true, DefaultParameterSetName = ModelSet)]
[OutputType(typeof(Deployment))]
public sealed class NewFineTuneDeploymentCommand : FineTuneDeploymentCmdlet
{
    private const string ModelSet = "Model";
    private const string JobSet = "Job";

    /// <summary>The deployment name, which Invoke-FineTuneChat -Model takes afterwards.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidatePattern("^[A-Za-z0-9][A-Za-z0-9_.-]{1,63}$")]
    public string? Name { get; set; }

    /// <summary>The fine-tuned model or checkpoint to deploy.</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = ModelSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(FineTunedModelCompleter))]
    public string? Model { get; set; }

    /// <summary>A finished job from the pipeline (Get-FineTuneJob, Wait-FineTuneJob): its FineTunedModel is deployed.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = JobSet)]
    [ValidateNotNull]
    public Job? Job { get; set; }

    /// <summary>Standard, GlobalStandard (the default) or DeveloperTier.</summary>
    [Parameter]
    public DeploymentSku Sku { get; set; } = DeploymentSku.GlobalStandard;

    /// <summary>Capacity in units of 1,000 tokens per minute; 1 by default.</summary>
    [Parameter]
    [ValidateRange(1, 100000)]
    public int Capacity { get; set; } = 1;

    /// <summary>Returns Azure's first answer at once instead of waiting for the deployment to succeed.</summary>
    [Parameter]
    public SwitchParameter NoWait { get; set; }

    /// <summary>How long to wait for the deployment at most; 30 minutes by default.</summary>
    [Parameter]
    [ValidateWaitTime]
    public TimeSpan? Timeout { get; set; }

    /// <summary>The pause between two checks of the deployment's state; 10 seconds by default.</summary>
    [Parameter]
    [ValidateWaitTime]
    public TimeSpan? PollInterval { get; set; }

    protected override void ProcessRecord()
    {
        string name = Name!;
        string? model = ParameterSetName == JobSet ? Job!.FineTunedModel : Model;
        if (string.IsNullOrEmpty(model))
        {
            WriteError(ToErrorRecord("FineTune.Deployment.NoModel", ErrorCategory.InvalidArgument,
                $"Job '{Job!.Id}' has no fine-tuned model (status '{Job.Status}').", Job,
                "Deploy a job that succeeded: Wait-FineTuneJob | New-FineTuneDeployment."));
            return;
        }
        if (!ShouldProcess(name, Describe(model!)))
        {
            return;
        }
        DeploymentSku sku = Sku;
        int capacity = Capacity;
        TimeSpan poll = PollInterval ?? TimeSpan.FromSeconds(10);
        TimeSpan timeout = Timeout ?? TimeSpan.FromMinutes(30);
        DeploymentsClient deployments = Deployments;
        const int activityId = 3;
        string activity = $"Deploying {model} as '{name}'";
        try
        {
            RunService(async (client, token) =>
            {
                Deployment created = await deployments.CreateAsync(name, model!, sku, capacity, token).ConfigureAwait(false);
                Post(() => WriteVerbose($"Azure accepted the deployment '{name}' ({created.ProvisioningState})."));
                Deployment result = NoWait.IsPresent ? created : await deployments.WaitAsync(name, poll, timeout,
                    progress => Post(() => WriteProgress(new ProgressRecord(activityId, activity, $"{progress.ProvisioningState}") { PercentComplete = -1 })),
                    token).ConfigureAwait(false);
                Post(() => WriteObject(result));
            }, name);
        }
        finally
        {
            WriteProgress(new ProgressRecord(activityId, activity, "Done") { RecordType = ProgressRecordType.Completed, PercentComplete = 100 });
        }
    }

    /// <summary>What -WhatIf and -Confirm say: the model, the SKU, and what hosting costs.</summary>
    private string Describe(string model)
    {
        string hosting;
        if (Sku == DeploymentSku.DeveloperTier)
        {
            hosting = "no hourly hosting fee (tokens only, no availability promise); Azure deletes it 24 hours after it is created";
        }
        else
        {
            decimal? hourly = null;
            string currency = "USD";
            try
            {
                if (ModelCatalog.Load().Resolve(model, "AzureOpenAI") is { } known)
                {
                    hourly = known.HostingPriceFor(Sku.ToString());
                    currency = known.Currency;
                }
            }
            catch (FineTuneException)
            {
                // An unreadable user catalog only costs the price in this sentence.
            }
            hosting = hourly is decimal price
                ? string.Format(CultureInfo.InvariantCulture, "hosting {0} {1:0.00} per hour while it exists, plus tokens (model catalog)", currency, price)
                : "an hourly hosting charge while it exists, plus tokens (the model catalog has no price for this model)";
        }
        return $"Deploy {model} as '{Name}' on {Sku} (capacity {Capacity}): {hosting}";
    }
}
