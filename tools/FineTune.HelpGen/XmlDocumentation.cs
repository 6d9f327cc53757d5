using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace FineTune.HelpGen;

/// <summary>The help text of one cmdlet, taken from its class's XML doc comment.</summary>
public sealed record CommandDoc(string Synopsis, IReadOnlyList<string> Description, IReadOnlyList<ExampleDoc> Examples);

public sealed record ExampleDoc(string Code, IReadOnlyList<string> Remarks);

/// <summary>
/// Reads the compiler's XML documentation file. Cmdlet classes use <c>summary</c> (synopsis),
/// <c>remarks</c> (description paragraphs) and <c>example</c> (<c>code</c> plus paragraphs);
/// parameter properties use <c>summary</c>.
/// </summary>
public sealed class XmlDocumentation
{
    private readonly Dictionary<string, XElement> _members;

    public XmlDocumentation(string xmlPath)
    {
        _members = XDocument.Load(xmlPath).Descendants("member")
            .Where(member => member.Attribute("name") is not null)
            .GroupBy(member => member.Attribute("name")!.Value, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.First(), StringComparer.Ordinal);
    }

    public CommandDoc Command(string documentationId)
    {
        if (!_members.TryGetValue(documentationId, out XElement? member))
        {
            return new CommandDoc("", Array.Empty<string>(), Array.Empty<ExampleDoc>());
        }
        string synopsis = string.Join(" ", Paragraphs(member.Element("summary")));
        var examples = member.Elements("example")
            .Select(example => new ExampleDoc(
                Code(example.Element("code")),
                Paragraphs(new XElement("remarks", example.Nodes().Where(node => node is not XElement { Name.LocalName: "code" })))))
            .ToList();
        return new CommandDoc(synopsis, Paragraphs(member.Element("remarks")), examples);
    }

    public IReadOnlyList<string> Summary(string documentationId) =>
        _members.TryGetValue(documentationId, out XElement? member) ? Paragraphs(member.Element("summary")) : Array.Empty<string>();

    /// <summary>Splits an element into paragraphs: each <c>para</c>, each list item, and loose text.</summary>
    private static IReadOnlyList<string> Paragraphs(XElement? element)
    {
        var paragraphs = new List<string>();
        if (element is null)
        {
            return paragraphs;
        }
        var loose = new StringBuilder();
        void FlushLoose()
        {
            AddParagraph(paragraphs, loose.ToString());
            loose.Clear();
        }
        foreach (XNode node in element.Nodes())
        {
            switch (node)
            {
                case XElement { Name.LocalName: "para" } para:
                    FlushLoose();
                    AddParagraph(paragraphs, InlineText(para));
                    break;
                case XElement { Name.LocalName: "list" } list:
                    FlushLoose();
                    foreach (XElement item in list.Elements("item"))
                    {
                        string term = InlineText(item.Element("term"));
                        string description = InlineText(item.Element("description") ?? item);
                        AddParagraph(paragraphs, term.Length > 0 ? $"- {term}: {description}" : $"- {description}");
                    }
                    break;
                case XElement { Name.LocalName: "code" } code:
                    FlushLoose();
                    AddParagraph(paragraphs, Code(code));
                    break;
                default:
                    loose.Append(InlineText(node));
                    break;
            }
        }
        FlushLoose();
        return paragraphs;
    }

    private static void AddParagraph(List<string> paragraphs, string text)
    {
        string collapsed = Regex.Replace(text, @"\s+", " ").Trim();
        if (collapsed.Length > 0)
        {
            paragraphs.Add(collapsed);
        }
    }

    private static string InlineText(XNode? node) => node switch
    {
        null => "",
        XText text => text.Value,
        XElement { Name.LocalName: "see" or "seealso" } see => SeeText(see),
        XElement { Name.LocalName: "paramref" or "typeparamref" } reference => reference.Attribute("name")?.Value ?? "",
        XElement element => string.Concat(element.Nodes().Select(InlineText)),
        _ => "",
    };

    private static string SeeText(XElement see)
    {
        if (!see.IsEmpty)
        {
            return string.Concat(see.Nodes().Select(InlineText));
        }
        if (see.Attribute("langword") is { } langword)
        {
            return langword.Value;
        }
        string reference = see.Attribute("cref")?.Value ?? see.Attribute("href")?.Value ?? "";
        int colon = reference.IndexOf(':');
        string name = colon >= 0 ? reference.Substring(colon + 1) : reference;
        return name.Substring(name.LastIndexOf('.') + 1);
    }

    /// <summary>Code keeps its lines; the indentation common to them is removed.</summary>
    private static string Code(XElement? code)
    {
        if (code is null)
        {
            return "";
        }
        var lines = code.Value.Replace("\r\n", "\n").Split('\n').ToList();
        while (lines.Count > 0 && lines[0].Trim().Length == 0) { lines.RemoveAt(0); }
        while (lines.Count > 0 && lines[^1].Trim().Length == 0) { lines.RemoveAt(lines.Count - 1); }
        int indent = lines.Where(line => line.Trim().Length > 0)
            .Select(line => line.Length - line.TrimStart().Length)
            .DefaultIfEmpty(0)
            .Min();
        return string.Join("\n", lines.Select(line => line.Length >= indent ? line.Substring(indent).TrimEnd() : line.Trim()));
    }
}
