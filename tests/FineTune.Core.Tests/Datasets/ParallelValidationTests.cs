using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using FineTune.Datasets;
using Xunit;

namespace FineTune.Core.Tests.Datasets;

/// <summary>
/// A file's lines are checked on several threads; what comes out must not depend on it: the
/// same issues, in line order, as one thread reports, and as each line checked alone reports.
/// </summary>
public class ParallelValidationTests
{
    private static readonly string[] Kinds =
    {
        """{"messages":[{"role":"system","content":"S"},{"role":"user","content":"U{0}"},{"role":"assistant","content":"A"}]}""",
        """{"messages":[{"role":"user","content":"U{0}"},{"role":"assistant","content":"A","weight":0}]}""",
        """{"messages":[{"role":"user","content":"U{0} <|endoftext|>"},{"role":"assistant","content":"A"}]}""",
        """{"messages":[{"role":"user","content":"U{0}"},{"role":"assistant","tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{{}}"}}]},{"role":"tool","tool_call_id":"c","content":"r"},{"role":"assistant","content":"done"}]}""",
        """{"messages":[{"role":"user","content":"U{0}"},{"role":"assistent","content":"A"}]}""",
        """{"messages":[{"role":"user","content":"U{0} \ud800"},{"role":"assistant","content":"A"}]}""",
        """{"messages":[{"role":"user","content":"U{0}"}""",
        """{"prompt":"P{0}","completion":"C"}""",
        """{"messages":[{"role":"user","content":"U{0}"}],"reference_answer":"42"}""",
        """[1,2,{0}]""",
        """{"messages":[{"role":"user","content":"same"},{"role":"assistant","content":"same"}]}""",
    };

    /// <summary>A file of every kind of line, in runs, with invalid UTF-8, blank and too long lines between.</summary>
    private static string WriteFile(TempDirectory dir, string firstLine, int lines, int seed)
    {
        var random = new Random(seed);
        string path = dir.File($"mixed-{seed}.jsonl");
        using var file = new FileStream(path, FileMode.CreateNew);
        void Line(string text) => file.Write(Encoding.UTF8.GetBytes(text + "\n"));
        Line(firstLine);
        for (int i = 0; i < lines; i++)
        {
            switch (random.Next(60))
            {
                case 0:
                    file.Write(new byte[] { (byte)'{', 0xC3, 0x28, (byte)'}', (byte)'\n' });
                    break;
                case 1:
                    Line("   ");
                    break;
                case 2:
                    Line("{\"messages\":[{\"role\":\"user\",\"content\":\"" + new string('x', 70_000) + "\"}]}");
                    break;
                default:
                    int kind = random.Next(100) < 70 ? 0 : random.Next(Kinds.Length);
                    Line(Kinds[kind].Replace("{0}", (i % 5000).ToString()));
                    break;
            }
        }
        return path;
    }

    private static List<string> Validate(string path, int threads, Action<long, long>? progress = null) =>
        DatasetValidator.ValidateFile(path, new DatasetValidationOptions { MaxDegreeOfParallelism = threads, MaxLineBytes = 64 * 1024, Progress = progress })
            .Select(i => $"{i.Line} {i.Severity} {i.Code} {i.JsonPath} {i.Message}").ToList();

    /// <summary>The same lines checked one by one through <see cref="DatasetValidator.CheckLine"/>, the pipeline objects' path.</summary>
    private static List<string> CheckAlone(string path)
    {
        var issues = new List<DatasetIssue>();
        using var validator = new DatasetValidator(path, new DatasetValidationOptions { MaxLineBytes = 64 * 1024 });
        using (JsonlReader reader = JsonlReader.Open(path, 64 * 1024))
        {
            while (reader.Read())
            {
                if (reader.IsTooLong)
                {
                    issues.Add(new DatasetIssue(path, reader.LineNumber, DatasetIssueSeverity.Error, DatasetIssueCodes.LineTooLong,
                        $"The line {reader.DescribeTooLong()}; it was not checked. Split the example or remove embedded data (such as base64 images).", null));
                    continue;
                }
                issues.AddRange(validator.CheckLine(reader.LineMemory, reader.LineNumber));
            }
        }
        return issues.Select(i => $"{i.Line} {i.Severity} {i.Code} {i.JsonPath} {i.Message}").ToList();
    }

    [Theory]
    [InlineData("""{"messages":[{"role":"user","content":"first"},{"role":"assistant","content":"A"}]}""")]
    [InlineData("""{"prompt":"first","completion":"C"}""")]
    [InlineData("""{"messages":[{"role":"user","content":"first"}],"reference_answer":"42"}""")]
    [InlineData("""not json""")]
    public void Several_threads_report_what_one_thread_and_each_line_alone_report(string firstLine)
    {
        using var dir = new TempDirectory();
        string path = WriteFile(dir, firstLine, 30_000, seed: firstLine.Length);
        List<string> one = Validate(path, 1);
        List<string> four = Validate(path, 4);
        Assert.Equal(one, four);
        List<string> lineIssues = one.Where(i => !i.Contains(DatasetIssueCodes.DuplicateExample)).ToList();
        Assert.Equal(CheckAlone(path), lineIssues);
        Assert.Contains(one, i => i.Contains(DatasetIssueCodes.DuplicateExample));
        Assert.Contains(one, i => i.Contains(DatasetIssueCodes.LineTooLong));
        Assert.Contains(one, i => i.Contains(DatasetIssueCodes.InvalidUtf8));
        if (!firstLine.Contains("\"messages\":[{\"role\":\"user\",\"content\":\"first\"},"))
        {
            Assert.Contains(one, i => i.Contains(DatasetIssueCodes.MixedFormats));
        }
    }

    [Fact]
    public void Progress_comes_on_the_thread_that_reads_the_issues()
    {
        using var dir = new TempDirectory();
        string path = WriteFile(dir, Kinds[0].Replace("{0}", "0"), 60_000, seed: 3);
        int enumerating = Environment.CurrentManagedThreadId;
        var threads = new HashSet<int>();
        long last = 0;
        Validate(path, 2, (done, total) =>
        {
            threads.Add(Environment.CurrentManagedThreadId);
            Assert.True(done >= last && done <= total);
            last = done;
        });
        Assert.Equal(new[] { enumerating }, threads);
        Assert.Equal(new FileInfo(path).Length, last);
    }

    [Fact]
    public void Stopping_early_leaves_no_reading_behind()
    {
        using var dir = new TempDirectory();
        string path = WriteFile(dir, Kinds[4].Replace("{0}", "0"), 60_000, seed: 4);
        Assert.Single(DatasetValidator.ValidateFile(path, new DatasetValidationOptions { MaxDegreeOfParallelism = 2 }).Take(1));
        // The reading thread has stopped and closed the file (Windows would refuse to delete it otherwise).
        if (Directory.Exists("/proc/self/fd"))
        {
            Assert.DoesNotContain(Directory.GetFiles("/proc/self/fd"), fd => new FileInfo(fd).LinkTarget == path);
        }
        File.Delete(path);
        Assert.False(File.Exists(path));
    }
}
