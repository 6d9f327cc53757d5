using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using Xunit;

namespace FineTune.PowerShell.Tests.Jobs;

/// <summary>
/// The job pipelines the issue promises work without script blocks: for each pair of cmdlets,
/// a property of the first one's [OutputType] binds to a ValueFromPipelineByPropertyName
/// parameter of the second by name or alias. Read by reflection over the built cmdlet assembly
/// (MetadataLoadContext: no PowerShell needed).
/// </summary>
public sealed class JobPipelineBindingTests : IDisposable
{
    private readonly MetadataLoadContext _context;
    private readonly Assembly _cmdlets;

    public JobPipelineBindingTests()
    {
        string cmdletPath = FindCmdletAssembly();
        string folder = Path.GetDirectoryName(cmdletPath)!;
        var paths = new List<string>(Directory.GetFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll"))
        {
            Path.Combine(AppContext.BaseDirectory, "System.Management.Automation.dll"),
        };
        paths.AddRange(Directory.GetFiles(folder, "*.dll"));
        _context = new MetadataLoadContext(new PathAssemblyResolver(paths.Distinct(StringComparer.Ordinal)));
        _cmdlets = _context.LoadFromAssemblyPath(cmdletPath);
    }

    public void Dispose() => _context.Dispose();

    [Theory]
    [InlineData("Send-FineTuneFile", "New-FineTuneJob", "TrainingFile")]
    [InlineData("Get-FineTuneJob", "Wait-FineTuneJob", "Id")]
    [InlineData("Wait-FineTuneJob", "Get-FineTuneMetric", "JobId")]
    [InlineData("Get-FineTuneJob", "Get-FineTuneEvent", "JobId")]
    [InlineData("Get-FineTuneJob", "Get-FineTuneCheckpoint", "JobId")]
    [InlineData("New-FineTuneJob", "Wait-FineTuneJob", "Id")]
    [InlineData("Get-FineTuneJob", "Stop-FineTuneJob", "Id")]
    [InlineData("Get-FineTuneJob", "Suspend-FineTuneJob", "Id")]
    [InlineData("Get-FineTuneJob", "Resume-FineTuneJob", "Id")]
    public void OutputBindsByPropertyName(string producer, string consumer, string parameter)
    {
        Type output = OutputTypes(Cmdlet(producer)).Single();
        PropertyInfo binding = Parameter(Cmdlet(consumer), parameter);
        Assert.True(IsByPropertyName(binding), $"{consumer} -{parameter} does not take pipeline input by property name.");

        string[] names = new[] { binding.Name }.Concat(Aliases(binding)).ToArray();
        PropertyInfo[] matches = output.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => names.Contains(p.Name, StringComparer.OrdinalIgnoreCase)).ToArray();
        Assert.True(matches.Length > 0, $"{output.FullName} has none of {string.Join(", ", names)} for {consumer} -{parameter}.");
        Assert.All(matches, p => Assert.Equal("System.String", p.PropertyType.FullName));
    }

    [Fact]
    public void AJobNeverBindsItsBaseModelToRemoveFineTuneModel()
    {
        PropertyInfo model = Parameter(Cmdlet("Remove-FineTuneModel"), "Model");
        Assert.False(IsByPropertyName(model));
    }

    [Fact]
    public void TheJobCarriesBothIdAndJobIdWithTheSameMeaning()
    {
        Type job = _cmdlets.GetReferencedAssemblies().Select(n => _context.LoadFromAssemblyName(n)).First(a => a.GetName().Name == "FineTune.Core").GetType("FineTune.Job", true)!;
        Assert.NotNull(job.GetProperty("Id"));
        Assert.NotNull(job.GetProperty("JobId"));
    }

    private Type Cmdlet(string name)
    {
        string[] parts = name.Split('-');
        return _cmdlets.GetTypes().Single(t => t.GetCustomAttributesData().Any(a =>
            a.AttributeType.FullName == "System.Management.Automation.CmdletAttribute"
            && (string)a.ConstructorArguments[0].Value! == parts[0]
            && (string)a.ConstructorArguments[1].Value! == parts[1]));
    }

    private static IEnumerable<Type> OutputTypes(Type cmdlet) =>
        cmdlet.GetCustomAttributesData()
            .Where(a => a.AttributeType.FullName == "System.Management.Automation.OutputTypeAttribute")
            .SelectMany(a => a.ConstructorArguments)
            .SelectMany(arg => arg.Value is IEnumerable<CustomAttributeTypedArgument> many ? many.Select(m => m.Value) : new[] { arg.Value })
            .OfType<Type>();

    private static PropertyInfo Parameter(Type cmdlet, string name) =>
        cmdlet.GetProperty(name, BindingFlags.Public | BindingFlags.Instance) ?? throw new InvalidOperationException($"{cmdlet.Name} has no -{name}.");

    private static bool IsByPropertyName(PropertyInfo parameter) =>
        parameter.GetCustomAttributesData()
            .Where(a => a.AttributeType.FullName == "System.Management.Automation.ParameterAttribute")
            .SelectMany(a => a.NamedArguments)
            .Any(n => n.MemberName == "ValueFromPipelineByPropertyName" && (bool)n.TypedValue.Value!);

    private static IEnumerable<string> Aliases(PropertyInfo parameter) =>
        parameter.GetCustomAttributesData()
            .Where(a => a.AttributeType.FullName == "System.Management.Automation.AliasAttribute")
            .SelectMany(a => a.ConstructorArguments)
            .SelectMany(arg => arg.Value is IEnumerable<CustomAttributeTypedArgument> many ? many.Select(m => (string)m.Value!) : new[] { (string)arg.Value! });

    /// <summary>The module folder's net8.0 assembly (built by dotnet build), else the project's own output.</summary>
    private static string FindCmdletAssembly()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (!File.Exists(Path.Combine(directory.FullName, "FineTune.PowerShell.sln")))
            {
                continue;
            }
            string[] candidates =
            {
                Path.Combine(directory.FullName, "out", "FineTune", "bin", "net8.0", "FineTune.PowerShell.dll"),
                Path.Combine(directory.FullName, "src", "FineTune.PowerShell", "bin", "Release", "net8.0", "FineTune.PowerShell.dll"),
            };
            return candidates.FirstOrDefault(File.Exists)
                ?? throw new InvalidOperationException("FineTune.PowerShell.dll is not built: run 'dotnet build -c Release' at the repository root first.");
        }
        throw new InvalidOperationException($"No FineTune.PowerShell.sln above {AppContext.BaseDirectory}.");
    }
}
