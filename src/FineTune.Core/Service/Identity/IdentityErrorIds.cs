namespace FineTune.Service.Identity;

/// <summary>The stable ErrorIds of Entra ID sign-in failures.</summary>
public static class IdentityErrorIds
{
    /// <summary>This way of signing in does not exist here (no managed identity endpoint, no Azure CLI...).</summary>
    public const string Unavailable = "FineTune.Identity.Unavailable";

    /// <summary>The token endpoint answered, but with an error (wrong client id, no role, bad secret...).</summary>
    public const string TokenFailed = "FineTune.Identity.TokenFailed";

    /// <summary>A token given with -AccessToken has expired, or is for another audience.</summary>
    public const string TokenUnusable = "FineTune.Identity.TokenUnusable";

    /// <summary>No way of signing in worked (the default chain).</summary>
    public const string NoCredential = "FineTune.Identity.NoCredential";

    /// <summary>The sign-in settings are incomplete or contradictory.</summary>
    public const string InvalidSettings = "FineTune.Identity.InvalidSettings";
}
