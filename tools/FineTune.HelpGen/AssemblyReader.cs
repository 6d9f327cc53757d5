using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;

namespace FineTune.HelpGen;

/// <summary>
/// Reads cmdlets from a compiled module assembly as metadata only, so neither PowerShell nor
/// the assembly's dependencies need to be loadable here.
/// </summary>
public sealed class AssemblyReader : IDisposable
{
    private const string Automation = "System.Management.Automation.";
    private readonly MetadataLoadContext _context;
    private readonly Assembly _assembly;

    public AssemblyReader(string assemblyPath)
    {
        var candidates = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        // First wins: the module's own folder, then PowerShell's reference assembly, then the runtime.
        AddAll(candidates, Directory.GetFiles(Path.GetDirectoryName(Path.GetFullPath(assemblyPath))!, "*.dll"));
        AddAll(candidates, Directory.GetFiles(AppContext.BaseDirectory, "System.Management.Automation.dll"));
        AddAll(candidates, Directory.GetFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll"));
        _context = new MetadataLoadContext(new PathAssemblyResolver(candidates.Values));
        _assembly = _context.LoadFromAssemblyPath(Path.GetFullPath(assemblyPath));
    }

    public void Dispose() => _context.Dispose();

    /// <summary>The public instance property names of a type defined in the module's own assemblies.</summary>
    public IReadOnlyList<string>? PropertyNames(string typeFullName) =>
        ModuleType(typeFullName)?.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name).ToList();

    /// <summary>The full names of a module type, its base types and its interfaces.</summary>
    public IReadOnlyList<string> SelfAndBaseTypeNames(string typeFullName)
    {
        Type? type = ModuleType(typeFullName);
        if (type is null)
        {
            return new[] { typeFullName };
        }
        var names = new List<string>();
        for (Type? current = type; current is not null; current = current.BaseType)
        {
            names.Add(current.FullName!);
        }
        names.AddRange(type.GetInterfaces().Select(i => i.FullName!));
        return names;
    }

    private Type? ModuleType(string typeFullName)
    {
        string folder = Path.GetDirectoryName(_assembly.Location)!;
        return Directory.GetFiles(folder, "FineTune*.dll")
            .Select(file => _context.LoadFromAssemblyPath(file).GetType(typeFullName))
            .FirstOrDefault(type => type is not null);
    }

    /// <summary>The public const string fields of PowerShell's Verbs* classes: the approved verbs.</summary>
    public IReadOnlyCollection<string> ApprovedVerbs()
    {
        Assembly automation = _context.LoadFromAssemblyName("System.Management.Automation");
        return automation.GetExportedTypes()
            .Where(type => type.Namespace == "System.Management.Automation" && type.Name.StartsWith("Verbs", StringComparison.Ordinal))
            .SelectMany(type => type.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Where(field => field.IsLiteral)
            .Select(field => (string)field.GetRawConstantValue()!)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    public IReadOnlyList<CmdletModel> Cmdlets() =>
        _assembly.GetExportedTypes()
            .Select(type => (type, cmdlet: Attribute(type.GetCustomAttributesData(), "CmdletAttribute")))
            .Where(pair => pair.cmdlet is not null && !pair.type.IsAbstract)
            .Select(pair => ReadCmdlet(pair.type, pair.cmdlet!))
            .OrderBy(cmdlet => cmdlet.Name, StringComparer.Ordinal)
            .ToList();

    private static CmdletModel ReadCmdlet(Type type, CustomAttributeData cmdlet)
    {
        var outputTypes = type.GetCustomAttributesData()
            .Where(data => data.AttributeType.FullName == Automation + "OutputTypeAttribute")
            .SelectMany(data => data.ConstructorArguments)
            .SelectMany(argument => argument.Value is IEnumerable<CustomAttributeTypedArgument> items ? items : new[] { argument })
            .Select(item => item.Value is Type t ? t.FullName! : item.Value?.ToString() ?? "")
            .ToList();
        var parameters = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(ReadParameter)
            .Where(parameter => parameter is not null)
            .Select(parameter => parameter!)
            .ToList();
        return new CmdletModel(
            Verb: (string)cmdlet.ConstructorArguments[0].Value!,
            Noun: (string)cmdlet.ConstructorArguments[1].Value!,
            TypeFullName: type.FullName!,
            DocumentationId: "T:" + type.FullName,
            IsSealed: type.IsSealed,
            SupportsShouldProcess: Named(cmdlet, "SupportsShouldProcess") is true,
            ConfirmImpact: Named(cmdlet, "ConfirmImpact") is { } impact ? ConfirmImpactName(Convert.ToInt32(impact)) : null,
            DefaultParameterSetName: Named(cmdlet, "DefaultParameterSetName") as string,
            OutputTypes: outputTypes,
            Parameters: parameters);
    }

    private static ParameterModel? ReadParameter(PropertyInfo property)
    {
        IList<CustomAttributeData> attributes = property.GetCustomAttributesData();
        var sets = attributes
            .Where(data => data.AttributeType.FullName == Automation + "ParameterAttribute")
            .Select(data => new ParameterSetModel(
                Name: Named(data, "ParameterSetName") as string ?? ParameterSetModel.AllSets,
                Mandatory: Named(data, "Mandatory") is true,
                Position: Named(data, "Position") is int position && position >= 0 ? position : null,
                ValueFromPipeline: Named(data, "ValueFromPipeline") is true,
                ValueFromPipelineByPropertyName: Named(data, "ValueFromPipelineByPropertyName") is true))
            .ToList();
        if (sets.Count == 0)
        {
            return null;
        }
        var aliases = attributes
            .Where(data => data.AttributeType.FullName == Automation + "AliasAttribute")
            .SelectMany(data => StringArguments(data))
            .ToList();
        var validValues = attributes
            .Where(data => data.AttributeType.FullName == Automation + "ValidateSetAttribute")
            .SelectMany(data => StringArguments(data))
            .ToList();
        bool completer = attributes.Any(data => data.AttributeType.FullName == Automation + "ArgumentCompleterAttribute");
        Type declaring = property.DeclaringType!;
        return new ParameterModel(
            Name: property.Name,
            TypeFullName: property.PropertyType.FullName ?? property.PropertyType.Name,
            TypeDisplayName: DisplayName(property.PropertyType),
            DocumentationId: $"P:{declaring.FullName}.{property.Name}",
            Aliases: aliases,
            Sets: sets,
            HasArgumentCompleter: completer,
            ValidValues: validValues);
    }

    private static string DisplayName(Type type)
    {
        if (type.IsArray)
        {
            return DisplayName(type.GetElementType()!) + "[]";
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition().FullName == "System.Nullable`1")
        {
            return DisplayName(type.GetGenericArguments()[0]);
        }
        return type.Name;
    }

    private static IEnumerable<string> StringArguments(CustomAttributeData data) =>
        data.ConstructorArguments
            .SelectMany(argument => argument.Value is IEnumerable<CustomAttributeTypedArgument> items ? items : new[] { argument })
            .Select(item => item.Value as string)
            .Where(value => value is not null)
            .Select(value => value!);

    private static CustomAttributeData? Attribute(IEnumerable<CustomAttributeData> attributes, string name) =>
        attributes.FirstOrDefault(data => data.AttributeType.FullName == Automation + name);

    private static object? Named(CustomAttributeData data, string name) =>
        data.NamedArguments.Where(argument => argument.MemberName == name).Select(argument => argument.TypedValue.Value).FirstOrDefault();

    private static string ConfirmImpactName(int value) => value switch
    {
        0 => "None",
        1 => "Low",
        2 => "Medium",
        3 => "High",
        _ => value.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static void AddAll(Dictionary<string, string> candidates, IEnumerable<string> files)
    {
        foreach (string file in files)
        {
            candidates.TryAdd(Path.GetFileNameWithoutExtension(file), file);
        }
    }
}
