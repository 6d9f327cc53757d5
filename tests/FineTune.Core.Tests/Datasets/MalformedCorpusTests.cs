using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using FineTune.Datasets;
using Xunit;

namespace FineTune.Core.Tests.Datasets;

/// <summary>
/// A file of every kind of broken line: each gets a clear issue on its own line, the good
/// lines around them get none, and nothing throws or hangs.
/// </summary>
public class MalformedCorpusTests
{
    private const string Good = "{\"messages\":[{\"role\":\"system\",\"content\":\"s\"},{\"role\":\"user\",\"content\":\"u{0}\"},{\"role\":\"assistant\",\"content\":\"a\"}]}";

    private static (byte[] Bytes, Dictionary<long, string> Expected, HashSet<long> GoodLines) BuildCorpus()
    {
        var lines = new List<(byte[] Bytes, string? Code)>();
        int n = 0;
        void GoodLine() => lines.Add((Encoding.UTF8.GetBytes(Good.Replace("{0}", (n++).ToString())), null));
        void Bad(string text, string code) => lines.Add((Encoding.UTF8.GetBytes(text), code));
        string Msg(string message) => "{\"messages\":[{\"role\":\"system\",\"content\":\"s\"}," + message + ",{\"role\":\"user\",\"content\":\"u\"},{\"role\":\"assistant\",\"content\":\"a\"}]}";

        GoodLine();
        lines.Add((Encoding.UTF8.GetBytes("{\"messages\":[{\"role\":\"user\",\"content\":\"caf").Concat(new byte[] { 0xE9 }).Concat(Encoding.UTF8.GetBytes("\"}]}")).ToArray(), DatasetIssueCodes.InvalidUtf8));
        GoodLine();
        Bad("{\"messages\":[{\"role\":\"user\",\"content\":\"x\" \"y\"}]}", DatasetIssueCodes.InvalidJson);
        Bad("[]", DatasetIssueCodes.NotAnObject);
        Bad("\"text\"", DatasetIssueCodes.NotAnObject);
        Bad("null", DatasetIssueCodes.NotAnObject);
        Bad("123", DatasetIssueCodes.NotAnObject);
        Bad("{\"messages\":" + new string('[', 1000) + new string(']', 1000) + "}", DatasetIssueCodes.NestingTooDeep);
        Bad("{\"messages\":[{\"role\":\"user\",\"content\":{\"a\":" + new string('[', 1000) + new string(']', 1000) + "}}]}", DatasetIssueCodes.NestingTooDeep);
        Bad("{\"messages\":42}", DatasetIssueCodes.WrongType);
        Bad("{\"messages\":[7]}", DatasetIssueCodes.WrongType);
        Bad(Msg("{\"role\":[\"user\"],\"content\":\"u\"}"), DatasetIssueCodes.WrongType);
        Bad(Msg("{\"role\":\"user\",\"content\":{\"text\":\"u\"}}"), DatasetIssueCodes.WrongType);
        Bad(Msg("{\"role\":\"user\",\"content\":[1,2]}"), DatasetIssueCodes.InvalidContentPart);
        Bad(Msg("{\"role\":\"user\",\"content\":\"u\",\"name\":true}"), DatasetIssueCodes.WrongType);
        Bad(Msg("{\"role\":\"assistant\",\"content\":\"a\",\"weight\":\"1\"}"), DatasetIssueCodes.InvalidWeight);
        Bad(Msg("{\"role\":\"assistant\",\"content\":\"a\",\"weight\":0.5}"), DatasetIssueCodes.InvalidWeight);
        Bad(Msg("{\"role\":\"assistant\",\"tool_calls\":\"call\"}"), DatasetIssueCodes.InvalidToolCall);
        Bad(Msg("{\"role\":\"assistant\",\"tool_calls\":[{\"id\":1,\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}"), DatasetIssueCodes.InvalidToolCall);
        Bad(Msg("{\"role\":\"tool\",\"content\":\"r\",\"tool_call_id\":5}"), DatasetIssueCodes.WrongType);
        Bad(Msg("{\"role\":\"assistant\",\"function_call\":\"f()\"}"), DatasetIssueCodes.InvalidFunctionCall);
        Bad(Good.Replace("u{0}", "u").Replace("]}", "],\"tools\":\"all\"}"), DatasetIssueCodes.WrongType);
        Bad(Good.Replace("u{0}", "u").Replace("]}", "],\"functions\":{}}"), DatasetIssueCodes.WrongType);
        Bad(Good.Replace("u{0}", "u").Replace("]}", "],\"parallel_tool_calls\":1}"), DatasetIssueCodes.WrongType);
        Bad("{}", DatasetIssueCodes.UnknownFormat);
        Bad("{\"messages\":[{\"role\":\"user\",\"content\":\"u\"}", DatasetIssueCodes.InvalidJson);
        GoodLine();
        lines.Add((Encoding.UTF8.GetBytes(Good.Replace("{0}", "x" + new string('y', 10 * 1024 * 1024))), null));
        Bad("{\"messages\":[{\"role\":\"user\",\"content\":\"" + new string('z', 10 * 1024 * 1024) + "}]}", DatasetIssueCodes.InvalidJson);
        GoodLine();
        Bad("{\"messages\":[{\"role\":\"user\",\"content\":\"truncated", DatasetIssueCodes.InvalidJson); // last line, no newline

        var bytes = new List<byte>(new byte[] { 0xEF, 0xBB, 0xBF }); // BOM
        var expected = new Dictionary<long, string>();
        var good = new HashSet<long>();
        long lineNumber = 0;
        for (int i = 0; i < lines.Count; i++)
        {
            bytes.AddRange(lines[i].Bytes);
            lineNumber++;
            if (lines[i].Code is string code)
            {
                expected[lineNumber] = code;
            }
            else
            {
                good.Add(lineNumber);
            }
            if (i == lines.Count - 1)
            {
                break;
            }
            bytes.AddRange(i % 2 == 0 ? new byte[] { (byte)'\r', (byte)'\n' } : new byte[] { (byte)'\n' });
            if (i % 5 == 0)
            {
                bytes.AddRange(Encoding.ASCII.GetBytes("\n  \r\n")); // blank lines
                lineNumber += 2;
            }
        }
        return (bytes.ToArray(), expected, good);
    }

    [Fact]
    public async Task Every_bad_line_gets_a_clear_issue_and_nothing_throws_or_hangs()
    {
        (byte[] bytes, Dictionary<long, string> expected, HashSet<long> good) = BuildCorpus();
        using var dir = new TempDirectory();
        string path = dir.WriteBytes("corpus.jsonl", bytes);

        Task<List<DatasetIssue>> run = Task.Run(() => DatasetValidator.ValidateFile(path).ToList());
        Task finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromMinutes(2)));
        Assert.True(finished == run, "validation did not finish");
        List<DatasetIssue> issues = await run;

        foreach ((long line, string code) in expected)
        {
            List<DatasetIssue> onLine = issues.Where(i => i.Line == line).ToList();
            Assert.True(onLine.Any(i => i.Code == code && i.Severity == DatasetIssueSeverity.Error),
                $"line {line}: expected {code}, got: {string.Join(" | ", onLine)}");
        }
        foreach (long line in good)
        {
            Assert.DoesNotContain(issues, i => i.Line == line);
        }
        Assert.All(issues, i =>
        {
            Assert.Equal(path, i.Path);
            Assert.False(string.IsNullOrWhiteSpace(i.Message));
            Assert.True(i.Message.Length < 2000, "messages must not echo huge lines");
        });
        Assert.Contains(issues, i => i.Line is null && i.Code == DatasetIssueCodes.FewExamples);
    }

    [Fact]
    public void Import_parser_gives_a_clear_error_for_every_bad_line()
    {
        (byte[] bytes, Dictionary<long, string> expected, HashSet<long> good) = BuildCorpus();
        using var reader = new JsonlReader(new MemoryStream(bytes));
        int errors = 0;
        while (reader.Read())
        {
            bool ok = JsonValueParser.TryParseObject(reader.Line, out JsonObjectValue? value, out JsonLineError? error);
            if (good.Contains(reader.LineNumber))
            {
                Assert.True(ok, $"line {reader.LineNumber}: {error}");
                Assert.NotNull(value);
            }
            else if (!ok)
            {
                errors++;
                Assert.True(error!.Column >= 1);
                Assert.False(string.IsNullOrWhiteSpace(error.Reason));
            }
        }
        int syntaxErrors = expected.Values.Count(c => c is DatasetIssueCodes.InvalidUtf8 or DatasetIssueCodes.InvalidJson or DatasetIssueCodes.NotAnObject or DatasetIssueCodes.NestingTooDeep);
        Assert.Equal(syntaxErrors, errors);
    }
}
