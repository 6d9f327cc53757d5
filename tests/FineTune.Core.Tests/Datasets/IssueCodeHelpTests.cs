using System.IO;
using System.Linq;
using FineTune.Datasets;
using FineTune.Tests;
using Xunit;

namespace FineTune.Core.Tests.Datasets;

/// <summary>Test-FineTuneDataset's help must document every code the validator reports.</summary>
public class IssueCodeHelpTests
{
    [Fact]
    public void Every_code_is_documented_in_the_cmdlet_help_remarks()
    {
        string source = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "src", "FineTune.PowerShell", "Commands", "TestFineTuneDatasetCommand.cs"));
        int remarksEnd = source.IndexOf("/// </remarks>", System.StringComparison.Ordinal);
        Assert.True(remarksEnd > 0);
        string remarks = source.Substring(0, remarksEnd);
        foreach ((string code, DatasetIssueSeverity severity, string _) in DatasetIssueCodes.All)
        {
            Assert.Contains($"/// <para><c>{code}</c> ({severity}): ", remarks);
        }
        int documented = remarks.Split('\n').Count(l => l.StartsWith("/// <para><c>", System.StringComparison.Ordinal) && (l.Contains("</c> (Error): ") || l.Contains("</c> (Warning): ")));
        Assert.Equal(DatasetIssueCodes.All.Count, documented);
    }
}
