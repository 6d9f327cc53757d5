using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml;

namespace FineTune.HelpGen;

/// <summary>Writes the MAML help file that <c>Get-Help</c> reads for binary cmdlets.</summary>
public static class MamlWriter
{
    private const string Msh = "http://msh";
    private const string Maml = "http://schemas.microsoft.com/maml/2004/10";
    private const string Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private const string Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    private static readonly (string Name, string Description)[] ShouldProcessParameters =
    {
        ("WhatIf", "Shows what would happen if the cmdlet runs. The cmdlet is not run."),
        ("Confirm", "Prompts you for confirmation before running the cmdlet."),
    };

    public static void Write(string path, IEnumerable<CmdletModel> cmdlets, XmlDocumentation docs)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false), NewLineChars = "\n" };
        string temporary = path + ".tmp";
        using (XmlWriter writer = XmlWriter.Create(temporary, settings))
        {
            writer.WriteStartDocument();
            writer.WriteStartElement("helpItems", Msh);
            writer.WriteAttributeString("schema", "maml");
            foreach (CmdletModel cmdlet in cmdlets)
            {
                WriteCommand(writer, cmdlet, docs);
            }
            writer.WriteEndElement();
            writer.WriteEndDocument();
        }
        File.Move(temporary, path, overwrite: true);
    }

    private static void WriteCommand(XmlWriter writer, CmdletModel cmdlet, XmlDocumentation docs)
    {
        CommandDoc doc = docs.Command(cmdlet.DocumentationId);
        writer.WriteStartElement("command", "command", Command);
        writer.WriteAttributeString("xmlns", "maml", null, Maml);
        writer.WriteAttributeString("xmlns", "dev", null, Dev);

        writer.WriteStartElement("details", Command);
        writer.WriteElementString("name", Command, cmdlet.Name);
        writer.WriteElementString("verb", Command, cmdlet.Verb);
        writer.WriteElementString("noun", Command, cmdlet.Noun);
        WriteParagraphs(writer, "description", Maml, new[] { doc.Synopsis });
        writer.WriteEndElement();

        WriteParagraphs(writer, "description", Maml, doc.Description);
        WriteSyntax(writer, cmdlet);

        writer.WriteStartElement("parameters", Command);
        foreach (ParameterModel parameter in cmdlet.Parameters.OrderBy(p => p.Name, System.StringComparer.Ordinal))
        {
            WriteParameter(writer, parameter, Merge(parameter.Sets), docs.Summary(parameter.DocumentationId));
        }
        if (cmdlet.SupportsShouldProcess)
        {
            foreach ((string name, string description) in ShouldProcessParameters)
            {
                WriteSwitch(writer, name, description);
            }
        }
        writer.WriteEndElement();

        WriteTypes(writer, "inputTypes", "inputType", cmdlet.Parameters
            .Where(p => p.Sets.Any(s => s.ValueFromPipeline || s.ValueFromPipelineByPropertyName))
            .Select(p => p.TypeFullName).Distinct());
        WriteTypes(writer, "returnValues", "returnValue", cmdlet.OutputTypes.Distinct());

        writer.WriteStartElement("examples", Command);
        int number = 1;
        foreach (ExampleDoc example in doc.Examples)
        {
            writer.WriteStartElement("example", Command);
            writer.WriteElementString("title", Maml, $"-------------------------- Example {number++} --------------------------");
            writer.WriteElementString("code", Dev, example.Code);
            WriteParagraphs(writer, "remarks", Dev, example.Remarks);
            writer.WriteEndElement();
        }
        writer.WriteEndElement();

        writer.WriteEndElement();
    }

    private static void WriteSyntax(XmlWriter writer, CmdletModel cmdlet)
    {
        var named = cmdlet.Parameters.SelectMany(p => p.Sets).Select(s => s.Name)
            .Where(name => name != ParameterSetModel.AllSets).Distinct().ToList();
        if (named.Count == 0)
        {
            named.Add(ParameterSetModel.AllSets);
        }
        if (cmdlet.DefaultParameterSetName is { } preferred && named.Remove(preferred))
        {
            named.Insert(0, preferred);
        }
        writer.WriteStartElement("syntax", Command);
        foreach (string set in named)
        {
            writer.WriteStartElement("syntaxItem", Command);
            writer.WriteElementString("name", Maml, cmdlet.Name);
            var members = cmdlet.Parameters
                .Select(p => (parameter: p, set: p.Sets.FirstOrDefault(s => s.Name == set) ?? p.Sets.FirstOrDefault(s => s.Name == ParameterSetModel.AllSets)))
                .Where(pair => pair.set is not null)
                .OrderBy(pair => pair.set!.Position ?? int.MaxValue)
                .ThenBy(pair => pair.set!.Mandatory ? 0 : 1);
            foreach ((ParameterModel parameter, ParameterSetModel? membership) in members)
            {
                WriteParameter(writer, parameter, membership!, null);
            }
            if (cmdlet.SupportsShouldProcess)
            {
                foreach ((string name, string _) in ShouldProcessParameters)
                {
                    WriteSwitch(writer, name, null);
                }
            }
            writer.WriteEndElement();
        }
        writer.WriteEndElement();
    }

    /// <summary>One view of a parameter over all its sets, for the parameter list.</summary>
    private static ParameterSetModel Merge(IReadOnlyList<ParameterSetModel> sets) => new(
        Name: ParameterSetModel.AllSets,
        Mandatory: sets.All(s => s.Mandatory),
        Position: sets.Select(s => s.Position).FirstOrDefault(p => p is not null),
        ValueFromPipeline: sets.Any(s => s.ValueFromPipeline),
        ValueFromPipelineByPropertyName: sets.Any(s => s.ValueFromPipelineByPropertyName));

    private static void WriteParameter(XmlWriter writer, ParameterModel parameter, ParameterSetModel membership, IReadOnlyList<string>? description)
    {
        writer.WriteStartElement("parameter", Command);
        writer.WriteAttributeString("required", membership.Mandatory ? "true" : "false");
        writer.WriteAttributeString("variableLength", parameter.TypeDisplayName.EndsWith("[]") ? "true" : "false");
        writer.WriteAttributeString("globbing", parameter.Name == "Path" ? "true" : "false");
        writer.WriteAttributeString("pipelineInput", PipelineInput(membership));
        writer.WriteAttributeString("position", membership.Position?.ToString(CultureInfo.InvariantCulture) ?? "named");
        writer.WriteAttributeString("aliases", parameter.Aliases.Count == 0 ? "none" : string.Join(", ", parameter.Aliases));
        writer.WriteElementString("name", Maml, parameter.Name);
        if (description is not null)
        {
            var paragraphs = description.ToList();
            if (parameter.ValidValues.Count > 0)
            {
                paragraphs.Add("Accepted values: " + string.Join(", ", parameter.ValidValues));
            }
            WriteParagraphs(writer, "description", Maml, paragraphs);
        }
        if (parameter.ValidValues.Count > 0)
        {
            writer.WriteStartElement("parameterValueGroup", Command);
            foreach (string value in parameter.ValidValues)
            {
                writer.WriteStartElement("parameterValue", Command);
                writer.WriteAttributeString("required", "false");
                writer.WriteAttributeString("variableLength", "false");
                writer.WriteString(value);
                writer.WriteEndElement();
            }
            writer.WriteEndElement();
        }
        if (!parameter.IsSwitch)
        {
            writer.WriteStartElement("parameterValue", Command);
            writer.WriteAttributeString("required", "true");
            writer.WriteAttributeString("variableLength", "false");
            writer.WriteString(parameter.TypeDisplayName);
            writer.WriteEndElement();
        }
        WriteType(writer, parameter.TypeFullName);
        writer.WriteElementString("defaultValue", Dev, parameter.IsSwitch ? "False" : "None");
        writer.WriteEndElement();
    }

    private static void WriteSwitch(XmlWriter writer, string name, string? description)
    {
        writer.WriteStartElement("parameter", Command);
        writer.WriteAttributeString("required", "false");
        writer.WriteAttributeString("variableLength", "false");
        writer.WriteAttributeString("globbing", "false");
        writer.WriteAttributeString("pipelineInput", "False");
        writer.WriteAttributeString("position", "named");
        writer.WriteAttributeString("aliases", name == "WhatIf" ? "wi" : "cf");
        writer.WriteElementString("name", Maml, name);
        if (description is not null)
        {
            WriteParagraphs(writer, "description", Maml, new[] { description });
        }
        WriteType(writer, "System.Management.Automation.SwitchParameter");
        writer.WriteElementString("defaultValue", Dev, "False");
        writer.WriteEndElement();
    }

    private static string PipelineInput(ParameterSetModel set) => (set.ValueFromPipeline, set.ValueFromPipelineByPropertyName) switch
    {
        (true, true) => "True (ByValue, ByPropertyName)",
        (true, false) => "True (ByValue)",
        (false, true) => "True (ByPropertyName)",
        _ => "False",
    };

    private static void WriteTypes(XmlWriter writer, string listName, string itemName, IEnumerable<string> typeNames)
    {
        writer.WriteStartElement(listName, Command);
        foreach (string typeName in typeNames)
        {
            writer.WriteStartElement(itemName, Command);
            WriteType(writer, typeName);
            writer.WriteEndElement();
        }
        writer.WriteEndElement();
    }

    private static void WriteType(XmlWriter writer, string typeName)
    {
        writer.WriteStartElement("type", Dev);
        writer.WriteElementString("name", Maml, typeName);
        writer.WriteEndElement();
    }

    private static void WriteParagraphs(XmlWriter writer, string element, string ns, IEnumerable<string> paragraphs)
    {
        writer.WriteStartElement(element, ns);
        foreach (string paragraph in paragraphs)
        {
            writer.WriteElementString("para", Maml, paragraph);
        }
        writer.WriteEndElement();
    }
}
