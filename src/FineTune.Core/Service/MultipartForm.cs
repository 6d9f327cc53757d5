using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;

namespace FineTune.Service;

/// <summary>
/// multipart/form-data bodies shaped as the spec and strict parsers expect: every name and
/// file name quoted, and a Content-Type on each file part. (.NET's defaults leave the file name
/// unquoted and the part untyped, which Prism, the contract-test server, cannot parse.)
/// </summary>
internal static class MultipartForm
{
    public static MultipartFormDataContent Create() => new();

    public static void AddText(this MultipartFormDataContent form, string name, string value)
    {
        var part = new ByteArrayContent(Encoding.UTF8.GetBytes(value));
        part.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = Quote(name) };
        form.Add(part);
    }

    public static void AddFile(this MultipartFormDataContent form, string name, string fileName, string mediaType, HttpContent content)
    {
        content.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = Quote(name), FileName = Quote(fileName) };
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        form.Add(content);
    }

    /// <summary>A quoted-string; quotes, backslashes and line breaks in a file name cannot break out of it.</summary>
    private static string Quote(string value)
    {
        var quoted = new StringBuilder(value.Length + 2).Append('"');
        foreach (char c in value)
        {
            if (c is '"' or '\\')
            {
                quoted.Append('\\');
            }
            quoted.Append(c is '\r' or '\n' ? '_' : c);
        }
        return quoted.Append('"').ToString();
    }
}
