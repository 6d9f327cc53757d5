using System;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using FineTune.Service;
using Xunit;

namespace FineTune.Tests.Service;

public sealed class MultipartFormTests
{
    private static async Task<string> Render(Action<MultipartFormDataContent> build)
    {
        using MultipartFormDataContent form = MultipartForm.Create();
        build(form);
        return Encoding.UTF8.GetString(await form.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task FilePartsHaveAQuotedNameAndFileNameAndAContentType()
    {
        string body = await Render(form =>
        {
            form.AddText("purpose", "fine-tune");
            form.AddFile("file", "train.jsonl", "text/jsonl", new ByteArrayContent(new byte[] { (byte)'{', (byte)'}' }));
        });

        Assert.Contains("Content-Disposition: form-data; name=\"purpose\"\r\n\r\nfine-tune\r\n", body, StringComparison.Ordinal);
        Assert.Contains("Content-Disposition: form-data; name=\"file\"; filename=\"train.jsonl\"\r\n", body, StringComparison.Ordinal);
        Assert.Contains("Content-Type: text/jsonl\r\n\r\n{}\r\n", body, StringComparison.Ordinal);
        Assert.DoesNotContain("filename*", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QuotesAndLineBreaksCannotBreakOutOfTheFileName()
    {
        string body = await Render(form => form.AddFile("file", "a\"b\r\nX-Evil: 1.jsonl", "text/jsonl", new ByteArrayContent(new byte[] { 1 })));

        Assert.Contains("filename=\"a%22b%0D%0AX-Evil: 1.jsonl\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain("\r\nX-Evil", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NonAsciiFileNamesTravelAsUtf8()
    {
        string body = await Render(form => form.AddFile("file", "données é.jsonl", "text/jsonl", new ByteArrayContent(new byte[] { 1 })));

        Assert.Contains("filename=\"données é.jsonl\"", body, StringComparison.Ordinal);
    }
}
