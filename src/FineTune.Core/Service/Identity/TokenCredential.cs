using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace FineTune.Service.Identity;

/// <summary>
/// One way of getting Entra ID tokens: a managed identity, a service principal, a token given
/// by the user, or a signed-in Azure CLI / Az.Accounts. Credentials fetch; caching and refreshing
/// before expiry is <see cref="TokenCache"/>'s work, so a credential is asked only when needed.
/// </summary>
public abstract class TokenCredential
{
    /// <summary>What the credential is, for verbose output and errors (never a secret).</summary>
    public abstract string Description { get; }

    /// <summary>Gets a fresh token for <paramref name="scope"/>; failures are <see cref="FineTuneException"/>s with a FineTune.Identity.* id.</summary>
    internal abstract Task<AccessToken> RequestTokenAsync(string scope, HttpClient http, CancellationToken cancellationToken);

    /// <summary>Secrets the credential itself holds (a client secret), to be removed from any text shown.</summary>
    internal virtual string? Secret => null;

    public override string ToString() => Description;

    internal static FineTuneException Unavailable(string what, string why, string fix) =>
        new(IdentityErrorIds.Unavailable, FailureKind.AuthenticationError, $"{what} is not available: {why}", what, fix);

    internal static DateTimeOffset Now() => DateTimeOffset.UtcNow;
}
