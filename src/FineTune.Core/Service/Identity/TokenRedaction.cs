using System.Text.RegularExpressions;

namespace FineTune.Service.Identity;

/// <summary>Removes anything shaped like an Entra ID token (a JWT: three base64url parts, the first <c>eyJ</c>) from text.</summary>
internal static class TokenRedaction
{
    private static readonly Regex JwtShape = new(@"eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]*", RegexOptions.CultureInvariant);

    public static string RedactTokenShapes(string text) => JwtShape.Replace(text, SecretRedactor.Mask);
}
