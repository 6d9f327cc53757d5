using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using FineTune.Evaluation;
using FineTune.Evaluation.Report;
using Xunit;

namespace FineTune.Tests.Evaluation;

public sealed class HtmlReportTests
{
    /// <summary>Text that would become markup, script or a broken page if it were not escaped.</summary>
    public const string Hostile = "</td></tr></table><script>window.__pwned = 1</script><img src=x onerror=\"window.__pwned = 2\"><b id=\"hostile\">bold</b> ' \" & \u0000\u0007\ud800 <!-- </style>";

    [Theory]
    [InlineData("<b>&\"'</b>", "&lt;b&gt;&amp;&quot;&#39;&lt;/b&gt;")]
    [InlineData("tab\tline\r\nend", "tab\tline\nend")]
    [InlineData("nul\u0000 bell\u0007 c1\u0085 nonchar\uffff", "nul\ufffd bell\ufffd c1\ufffd nonchar\ufffd")]
    [InlineData("astral 𝐀 kept", "astral 𝐀 kept")]
    public void Escapes_text_so_it_stays_text(string text, string expected) => Assert.Equal(expected, HtmlText.Escape(text));

    [Fact]
    public void Replaces_lone_surrogates() => Assert.Equal("a\ufffdb\ufffd", HtmlText.Escape("a\ud800b\udc00"));

    [Fact]
    public async Task Hostile_text_from_data_and_service_never_becomes_markup()
    {
        string html = Render(await Content(Hostile));

        Assert.Equal(1, Count(html, "<script"));       // only the page's own
        Assert.Equal(1, Count(html, "</script>"));
        Assert.DoesNotContain("onerror=\"", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b id", html);
        Assert.DoesNotContain("<img", html);
        Assert.DoesNotContain("<!--", html);
        Assert.DoesNotContain('\u0000', html);
        Assert.Contains("&lt;script&gt;window.__pwned = 1&lt;/script&gt;", html);
    }

    [Fact]
    public async Task The_policy_allows_exactly_the_inline_style_and_script_by_hash_and_nothing_from_anywhere()
    {
        string html = Render(await Content("plain"));

        Match policy = Regex.Match(html, "<meta http-equiv=\"Content-Security-Policy\" content=\"([^\"]+)\">");
        Assert.True(policy.Success);
        string csp = policy.Groups[1].Value.Replace("&#39;", "'");
        Assert.StartsWith("default-src 'none';", csp);
        string style = Regex.Match(html, "<style>(.*?)</style>", RegexOptions.Singleline).Groups[1].Value;
        string script = Regex.Match(html, "<script>(.*?)</script>", RegexOptions.Singleline).Groups[1].Value;
        Assert.Contains($"style-src '{HtmlReport.Hash(style)}'", csp);
        Assert.Contains($"script-src '{HtmlReport.Hash(script)}'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.DoesNotMatch("(src|href)=\"(https?:)?//", html); // nothing loaded from the network
        Assert.DoesNotContain(" style=\"", html);                 // no inline style attributes for the policy to block
        Assert.DoesNotMatch(" on[a-z]+=\"", html);               // no inline event handlers
    }

    [Fact]
    public async Task Draws_loss_and_accuracy_curves_with_a_point_per_step()
    {
        string html = Render(await Content("plain"));

        MatchCollection paths = Regex.Matches(html, "<g class=\"series\" data-series=\"([^\"]+)\" data-points=\"(\\d+)\"><path class=\"line\"[^>]* d=\"([^\"]+)\"");
        Assert.Equal(4, paths.Count); // training and validation, loss and accuracy
        Match trainingLoss = paths[0];
        Assert.Equal("Training", trainingLoss.Groups[1].Value);
        Assert.Equal("10", trainingLoss.Groups[2].Value);
        Assert.Equal(10, Regex.Matches(trainingLoss.Groups[3].Value, "[ML]").Count);
        Assert.Equal("5", paths[1].Groups[2].Value); // validation every other step
        Assert.Contains("<figure class=\"chart\" id=\"chart-1\">", html);
        Assert.Contains("Full validation", html); // one full-validation point drawn as a circle
        Assert.Contains("<circle class=\"point\"", html);
    }

    [Fact]
    public async Task Shows_every_result_row_the_summary_and_the_job()
    {
        ReportContent content = await Content("plain");
        string html = Render(content);

        Assert.Equal(content.Results.Count, Regex.Matches(html, "<tr data-verdicts=").Count);
        Assert.Contains("<table id=\"summary\">", html);
        Assert.Contains("<h2>Job ftjob-0001</h2>", html);
        Assert.Contains("<dt>Trained tokens</dt><dd>5,768</dd>", html);
        Assert.Contains("<dt>Cost</dt><dd>USD 0.0173", html); // 5,768 trained tokens at USD 3.00 per million (gpt-4o-mini)
        Assert.Contains(">Answer 2: " + EvaluationFixture.Tuned + "</button>", html);
    }

    [Fact]
    public void Thins_a_long_series_keeping_its_extremes()
    {
        var points = Enumerable.Range(0, 100_000).Select(i => ((double)i, i == 54_321 ? 99.0 : Math.Sin(i / 1000.0))).ToList();

        IReadOnlyList<(double X, double Y)> thinned = SvgLineChart.Thin(points);

        Assert.InRange(thinned.Count, 2, SvgLineChart.MaxPointsPerSeries);
        Assert.Contains((54_321.0, 99.0), thinned);
        Assert.Equal(thinned.OrderBy(p => p.X), thinned);
    }

    [Theory]
    [InlineData(0.23, 2.41, false, 0.0, 2.5)]
    [InlineData(1, 60, true, 0.0, 60.0)]
    [InlineData(0.5, 0.5, false, 0.45, 0.55)]
    public void Ticks_are_round_numbers_covering_the_range(double min, double max, bool integers, double first, double last)
    {
        double[] ticks = SvgLineChart.Ticks(min, max, 5, integers);
        Assert.Equal(first, ticks[0], 9);
        Assert.Equal(last, ticks[^1], 9);
    }

    [Fact]
    public async Task Rows_read_back_from_their_columns_as_text_are_the_same()
    {
        ComparisonResult original = (await Content(Hostile)).Results[0];
        var cells = original.GetColumns().ToDictionary(c => c.Key, c => c.Value is IFormattable f ? f.ToString(null, System.Globalization.CultureInfo.InvariantCulture) : c.Value?.ToString());

        ComparisonResult read = ComparisonResult.FromColumns(name => cells.TryGetValue(name, out string? v) ? v : null);

        Assert.Equal(original.GetColumns().Select(c => c.Key), read.GetColumns().Select(c => c.Key));
        Assert.Equal(original.GetColumns().Select(c => Convert.ToString(c.Value, System.Globalization.CultureInfo.InvariantCulture)),
            read.GetColumns().Select(c => Convert.ToString(c.Value, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal("FineTune.Report.InvalidResult",
            Assert.Throws<FineTuneException>(() => ComparisonResult.FromColumns(name => name == "Line" ? "one" : null)).ErrorId);
    }

    [Fact]
    public async Task Writes_the_file_atomically_and_replaces_an_old_one()
    {
        await using EvaluationFixture f = await EvaluationFixture.StartAsync();
        string path = Path.Combine(f.Folder, "report.html");
        File.WriteAllText(path, "old");

        HtmlReport.WriteFile(path, await Content("plain"));

        Assert.StartsWith("<!DOCTYPE html>", File.ReadAllText(path));
        Assert.Equal(new[] { path }, Directory.GetFiles(f.Folder, "*report.html*"));
    }

    /// <summary>A job with a result file, and a comparison with a judge whose texts and model names carry <paramref name="text"/>.</summary>
    internal static async Task<ReportContent> Content(string text, int rows = 6)
    {
        await using EvaluationFixture f = await EvaluationFixture.StartAsync();
        var lines = new List<string>();
        for (int i = 1; i <= rows; i++)
        {
            string question = $"{text} question {i}";
            string answer = $"{text} answer {i}. Then restart.";
            f.Chat.Memory[question] = answer;
            lines.Add(EvaluationFixture.Line(question, answer));
        }
        string path = f.Write("hostile.jsonl", lines);
        EvaluationFixture.Run run = await f.CompareAsync(path, new ComparisonOptions
        {
            Models = new[] { EvaluationFixture.Base, EvaluationFixture.Tuned },
            JudgeModel = "judge " + text,
        });

        Tests.Service.Jobs.FakeJob job = f.Jobs.Add("succeeded");
        job.FineTunedModel = EvaluationFixture.Tuned;
        job.FinishedAt = job.CreatedAt + 1800;
        job.Error = null;
        string csv = "step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy,full_valid_loss,full_valid_mean_token_accuracy\n"
            + string.Concat(Enumerable.Range(1, 10).Select(s => FormattableString.Invariant(
                $"{s},{2.0 / s},{0.5 + s / 40.0},{(s % 2 == 0 ? (2.2 / s).ToString(System.Globalization.CultureInfo.InvariantCulture) : "")},{(s % 2 == 0 ? (0.45 + s / 50.0).ToString(System.Globalization.CultureInfo.InvariantCulture) : "")},{(s == 10 ? "0.3" : "")},{(s == 10 ? "0.8" : "")}\n")));
        job.ResultFiles.Add(f.Server.Files.Add("step_metrics.csv", "fine-tune-results", System.Text.Encoding.UTF8.GetBytes(csv)).Id);
        job.AddEvent(text);

        var content = new ReportContent { Title = "Report " + text };
        content.Jobs.Add(await JobReport.LoadAsync(new FineTune.Service.Jobs.JobsClient(f.Client), job.Id, FineTune.Models.ModelCatalog.Embedded, null, null, default));
        content.Results.AddRange(run.Results);
        content.SummarizeResults(FineTune.Models.ModelCatalog.Embedded, null);
        return content;
    }

    internal static string Render(ReportContent content)
    {
        using var writer = new StringWriter();
        HtmlReport.Write(writer, content);
        return writer.ToString();
    }

    private static int Count(string text, string part) => Regex.Matches(text, Regex.Escape(part), RegexOptions.IgnoreCase).Count;
}
