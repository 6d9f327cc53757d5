using System;
using System.Collections.Generic;
using FineTune.HelpGen;

// Usage: FineTune.HelpGen --assembly <cmdlets.dll> --xmldoc <cmdlets.xml> --out <X.dll-Help.xml>
var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
for (int i = 0; i + 1 < args.Length; i += 2)
{
    options[args[i].TrimStart('-')] = args[i + 1];
}
if (!options.TryGetValue("assembly", out string? assembly) || !options.TryGetValue("xmldoc", out string? xmldoc) || !options.TryGetValue("out", out string? output))
{
    Console.Error.WriteLine("usage: FineTune.HelpGen --assembly <cmdlets.dll> --xmldoc <cmdlets.xml> --out <help.xml>");
    return 2;
}
using var reader = new AssemblyReader(assembly);
MamlWriter.Write(output, reader.Cmdlets(), new XmlDocumentation(xmldoc));
return 0;
