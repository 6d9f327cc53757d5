namespace FineTune.Service;

/// <summary>The stable ErrorIds of failures talking to the service.</summary>
public static class ServiceErrorIds
{
    public const string BadRequest = "FineTune.Service.BadRequest";
    public const string Unauthorized = "FineTune.Service.Unauthorized";
    public const string Forbidden = "FineTune.Service.Forbidden";
    public const string NotFound = "FineTune.Service.NotFound";
    public const string Conflict = "FineTune.Service.Conflict";
    public const string UnprocessableEntity = "FineTune.Service.UnprocessableEntity";
    public const string RateLimited = "FineTune.Service.RateLimited";
    public const string ServerError = "FineTune.Service.ServerError";
    public const string Connection = "FineTune.Service.Connection";
    public const string Timeout = "FineTune.Service.Timeout";
    public const string OutcomeUnknown = "FineTune.Service.OutcomeUnknown";
    public const string InvalidResponse = "FineTune.Service.InvalidResponse";
    public const string NotConnected = "FineTune.Service.NotConnected";
    public const string InsecureHttp = "FineTune.Service.InsecureHttp";
    public const string InvalidConnection = "FineTune.Service.InvalidConnection";
    public const string UploadFailed = "FineTune.Service.UploadFailed";
    public const string FileProcessingFailed = "FineTune.Service.FileProcessingFailed";
    public const string ChecksumMismatch = "FineTune.Service.ChecksumMismatch";
    public const string ResponseTooLarge = "FineTune.Service.ResponseTooLarge";
}
