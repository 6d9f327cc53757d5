using System;
using System.Globalization;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace FineTune.Service.Identity;

/// <summary>
/// The account signed in to the Azure CLI: runs <c>az account get-access-token --resource ...
/// --output json</c> and reads <c>accessToken</c> with <c>expires_on</c> (Unix seconds, newer CLIs)
/// or <c>expiresOn</c> (local time, older ones).
/// </summary>
public sealed class AzureCliCredential : TokenCredential
{
    public override string Description => "the Azure CLI's signed-in account";

    internal override async Task<AccessToken> RequestTokenAsync(string scope, HttpClient http, CancellationToken cancellationToken)
    {
        string resource = TokenScopes.ToResource(scope);
        string arguments = "account get-access-token --output json --resource \"" + resource + "\"";
        (int ExitCode, string Output, string Error)? result = await TokenProcess.RunAsync(TokenProcess.Executable("az"), arguments, TokenProcess.DefaultTimeout, cancellationToken).ConfigureAwait(false);
        if (result is not { } ran)
        {
            throw Unavailable(Description, "the Azure CLI (az) is not installed or not on PATH.", "Install the Azure CLI and run az login, or sign in another way.");
        }
        if (ran.ExitCode != 0)
        {
            string reason = SecretRedactor.Redact(FirstLine(ran.Error) ?? $"az exited with code {ran.ExitCode}");
            throw Unavailable(Description, reason, "Run az login (or az login --identity), then try again.");
        }
        return Parse(ran.Output);
    }

    internal AccessToken Parse(string output)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(output);
            JsonElement root = document.RootElement;
            string? token = root.GetStringOrNull("accessToken");
            DateTimeOffset? expires = root.GetInt64OrNull("expires_on") is long seconds
                ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                : root.GetStringOrNull("expiresOn") is { } local && DateTime.TryParse(local, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out DateTime parsed)
                    ? new DateTimeOffset(parsed)
                    : null;
            if (string.IsNullOrWhiteSpace(token) || expires is null)
            {
                throw Unreadable();
            }
            return new AccessToken(token!, expires.Value);
        }
        catch (JsonException)
        {
            throw Unreadable();
        }
    }

    private FineTuneException Unreadable() =>
        new(IdentityErrorIds.TokenFailed, FailureKind.ProtocolError, $"{Description}: az account get-access-token printed something FineTune cannot read.", Description,
            "Update the Azure CLI, or sign in another way.");

    internal static string? FirstLine(string text)
    {
        foreach (string line in text.Split('\n'))
        {
            string trimmed = line.Trim();
            if (trimmed.Length > 0)
            {
                return trimmed.Length > 300 ? trimmed.Substring(0, 300) : trimmed;
            }
        }
        return null;
    }
}
