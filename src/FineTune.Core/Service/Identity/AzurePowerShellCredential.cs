using System;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace FineTune.Service.Identity;

/// <summary>
/// The account signed in with <c>Connect-AzAccount</c> (Az.Accounts): runs <c>Get-AzAccessToken</c>
/// in a separate PowerShell process (<c>pwsh</c>, else Windows PowerShell), so that Az.Accounts and
/// its own copies of the Azure libraries never load into this session alongside FineTune.
/// </summary>
public sealed class AzurePowerShellCredential : TokenCredential
{
    public override string Description => "the Az.Accounts (Connect-AzAccount) signed-in account";

    internal override async Task<AccessToken> RequestTokenAsync(string scope, HttpClient http, CancellationToken cancellationToken)
    {
        string resource = TokenScopes.ToResource(scope);
        // Az.Accounts 2.x returns the token as a string, 3.x and later can return a SecureString: both are handled.
        string script = "$ErrorActionPreference='Stop'; Import-Module Az.Accounts; "
            + "$t = Get-AzAccessToken -ResourceUrl '" + resource.Replace("'", "''") + "'; $v = $t.Token; "
            + "if ($v -is [securestring]) { $v = [System.Net.NetworkCredential]::new('', $v).Password }; "
            + "[Console]::Out.Write((@{ token = $v; expires_on = $t.ExpiresOn.ToUnixTimeSeconds() } | ConvertTo-Json -Compress))";
        string encoded = Convert.ToBase64String(Encoding.Unicode.GetBytes(script));
        string arguments = "-NoLogo -NoProfile -NonInteractive -EncodedCommand " + encoded;
        (int ExitCode, string Output, string Error)? ran = await TokenProcess.RunAsync("pwsh", arguments, TokenProcess.DefaultTimeout, cancellationToken).ConfigureAwait(false)
            ?? (Environment.OSVersion.Platform == PlatformID.Win32NT
                ? await TokenProcess.RunAsync("powershell", arguments, TokenProcess.DefaultTimeout, cancellationToken).ConfigureAwait(false)
                : null);
        if (ran is not { } result)
        {
            throw Unavailable(Description, "no PowerShell executable (pwsh) was found on PATH.", "Install PowerShell 7 with Az.Accounts and run Connect-AzAccount, or sign in another way.");
        }
        if (result.ExitCode != 0)
        {
            string reason = SecretRedactor.Redact(AzureCliCredential.FirstLine(result.Error) ?? $"PowerShell exited with code {result.ExitCode}");
            throw Unavailable(Description, reason, "Install Az.Accounts and run Connect-AzAccount, or sign in another way.");
        }
        try
        {
            using JsonDocument document = JsonDocument.Parse(result.Output);
            string? token = document.RootElement.GetStringOrNull("token");
            if (string.IsNullOrWhiteSpace(token) || document.RootElement.GetInt64OrNull("expires_on") is not long expires)
            {
                throw Unavailable(Description, "Get-AzAccessToken returned no token.", "Run Connect-AzAccount, then try again.");
            }
            return new AccessToken(token!, DateTimeOffset.FromUnixTimeSeconds(expires));
        }
        catch (JsonException)
        {
            throw Unavailable(Description, "Get-AzAccessToken printed something FineTune cannot read.", "Update Az.Accounts, or sign in another way.");
        }
    }
}
