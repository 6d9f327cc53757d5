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
        content.Headers.TryAddWithoutValidation("Content-Disposition", $"form-data; name=\"{Escape(name)}\"; filename=\"{Utf8OnTheWire(Escape(fileName))}\"");
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        form.Add(content);
    }

    /// <summary>Percent-encodes the characters that would end or break a quoted value, as the HTML standard does for form data.</summary>
    internal static string Escape(string value) => value.Replace("\"", "%22").Replace("\r", "%0D").Replace("\n", "%0A");

    /// <summary>Header text whose bytes on the wire are the UTF-8 of <paramref name="value"/>, as browsers and the official SDKs send file names.</summary>
    private static string Utf8OnTheWire(string value)
    {
#if NET8_0_OR_GREATER
        return value; // the form's header encoding is UTF-8 (see Create)
#else
        // Without a header encoding selector (.NET Framework, netstandard2.0) part headers are
        // written as Latin-1, one byte per character: handing them the UTF-8 bytes one per
        // character puts exactly those bytes on the wire. (The alternative, an RFC 2047
        // encoded word, is not understood by every server.)
        return Latin1.GetString(Encoding.UTF8.GetBytes(value));
#endif
    }

#if !NET8_0_OR_GREATER
    private static readonly Encoding Latin1 = Encoding.GetEncoding(28591);
#endif
}
