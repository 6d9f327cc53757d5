using System;

namespace FineTune.Service.Jobs;

/// <summary>
/// Azure answers a job create that names no training tier, or one the model or region lacks,
/// with "The specified base model does not support fine-tuning" although the model does. This
/// turns that answer into one that says what to change.
/// </summary>
internal static class TrainingTierHint
{
    public static bool Applies(ServiceException error, ServiceConnection connection) =>
        connection.Provider == ServiceProvider.AzureOpenAI && error.StatusCode is 400 or 404 or 422
        && (error.ServiceMessage ?? error.Message).IndexOf("does not support fine-tuning", StringComparison.OrdinalIgnoreCase) >= 0;

    public static ServiceException Explain(ServiceException error, JobCreateOptions options)
    {
        string tier = options.TrainingType is { } given ? $"the {given} tier" : "no training tier";
        string advice = options.TrainingType is null
            ? "Azure says this when a job names no training tier: pass -TrainingType GlobalStandard (or Standard, or Developer), one the model offers in this region (Get-FineTuneBaseModel -Provider AzureOpenAI shows TrainingTypes)."
            : "Azure says this when the model does not offer that tier in this region: try -TrainingType GlobalStandard, or another region; Get-FineTuneBaseModel -Provider AzureOpenAI shows the tiers each model offers.";
        return new ServiceException(error.ErrorId, error.Kind,
            $"{error.Message} The model is probably fine: the job named {tier}, and Azure answers this way when the tier is missing or not offered.",
            error.Target, advice, error, error.StatusCode, error.RequestId, error.ServiceMessage, error.ServiceType, error.ServiceCode, error.Param, error.Method, error.RequestUri);
    }
}
