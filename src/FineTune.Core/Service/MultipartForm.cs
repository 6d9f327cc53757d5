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
    public static MultipartFormDataContent Create()
    {
        var form = new MultipartFormDataContent();
#if NET8_0_OR_GREATER
        // File names travel as raw UTF-8, as browsers and the official SDKs send them.
        form.HeaderEncodingSelector = (_, _) => Encoding.UTF8;
#endif
        return form;
    }

    public static void AddText(this MultipartFormDataContent form, string name, string value)
    {
        var part = new ByteArrayContent(Encoding.UTF8.GetBytes(value));
        part.Headers.TryAddWithoutValidation("Content-Disposition", $"form-data; name=\"{Escape(name)}\"");
        form.Add(part);
    }

    public static void AddFile(this MultipartFormDataContent form, string name, string fileName, string mediaType, HttpContent content)
    {
        if (CanSendRaw(fileName))
        {
            content.Headers.TryAddWithoutValidation("Content-Disposition", $"form-data; name=\"{Escape(name)}\"; filename=\"{Escape(fileName)}\"");
        }
        else
        {
            // Without a UTF-8 header encoder (netstandard2.0), a non-ASCII name goes as an RFC 2047 encoded word.
            content.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = $"\"{Escape(name)}\"", FileName = Escape(fileName) };
        }
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        form.Add(content);
    }

    /// <summary>Percent-encodes the characters that would end or break a quoted value, as the HTML standard does for form data.</summary>
    internal static string Escape(string value) => value.Replace("\"", "%22").Replace("\r", "%0D").Replace("\n", "%0A");

    private static bool CanSendRaw(string value)
    {
#if NET8_0_OR_GREATER
        _ = value;
        return true;
#else
        foreach (char c in value)
        {
            if (c > 0x7e)
            {
                return false;
            }
        }
        return true;
#endif
    }
}
