using System;
using System.IO;
using System.Text;
using FineTune.Service.Files;
using Xunit;

namespace FineTune.Tests.Service.Files;

public sealed class LocalFileNameTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("step_metrics.csv", "step_metrics.csv")]
    [InlineData("résumé données.jsonl", "résumé données.jsonl")]
    [InlineData("evil\u001b]0;pwned\u0007\nname.csv", "evil_]0;pwned__name.csv")]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("..\\..\\Windows\\win.ini", "win.ini")]
    [InlineData("/abs/path/x.csv", "x.csv")]
    [InlineData(".bashrc", "bashrc")]
    [InlineData("..", "file-abc")]
    [InlineData("", "file-abc")]
    [InlineData("\u001b\u0007\n", "file-abc")]
    [InlineData("a<b>c:d\"e|f?g*h.csv", "a_b_c_d_e_f_g_h.csv")]
    [InlineData("CON", "_CON")]
    [InlineData("nul.txt", "_nul.txt")]
    [InlineData("com1 .csv", "_com1 .csv")]
    [InlineData("trailing. . ", "trailing")]
    [InlineData("invoice\u202Ecod.exe", "invoice_cod.exe")]
    [InlineData("emoji \U0001F600.csv", "emoji \U0001F600.csv")]
    public void ServiceNamesBecomeOnePlainSafeFileName(string serviceName, string expected)
    {
        Assert.Equal(expected, LocalFileName.FromServiceName(serviceName, "file-abc"));
    }

    [Fact]
    public void ALoneSurrogateIsReplaced()
    {
        // Built here: test data attributes cannot carry a lone surrogate intact.
        Assert.Equal("lone_surrogate", LocalFileName.FromServiceName("lone" + (char)0xD800 + "surrogate", "file-abc"));
    }

    [Fact]
    public void ALongNameIsCutToFitWithItsExtension()
    {
        string name = LocalFileName.FromServiceName(new string('é', 300) + ".jsonl", "file-abc");

        Assert.EndsWith(".jsonl", name, StringComparison.Ordinal);
        Assert.True(Encoding.UTF8.GetByteCount(name) <= LocalFileName.MaxBytes);
        Assert.True(Encoding.UTF8.GetByteCount(name) > LocalFileName.MaxBytes - 2);
    }

    [Theory]
    [InlineData("evil\u001b]0;x\u0007\n../../name.csv")]
    [InlineData("CON")]
    [InlineData("..")]
    public void EveryResultCanBeCreatedInsideTheFolder(string serviceName)
    {
        string path = Path.Combine(_temp.Path, LocalFileName.FromServiceName(serviceName, "file-abc"));

        File.WriteAllText(path, "x");

        Assert.Equal(_temp.Path, Path.GetDirectoryName(path));
        Assert.True(File.Exists(path));
    }
}
