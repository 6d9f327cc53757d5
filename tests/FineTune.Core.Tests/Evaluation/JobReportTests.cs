using System.Linq;
using System.Threading.Tasks;
using FineTune.Evaluation;
using FineTune.Evaluation.Report;
using FineTune.Service.Jobs;
using FineTune.Tests.Service.Jobs;
using Xunit;

namespace FineTune.Tests.Evaluation;

public sealed class JobReportTests
{
    [Fact]
    public async Task A_job_without_a_result_file_is_charted_from_its_metrics_events()
    {
        await using EvaluationFixture f = await EvaluationFixture.StartAsync();
        FakeJob job = f.Jobs.Add("running");
        for (int step = 1; step <= 6; step++)
        {
            job.AddStep(step, 6, 2.0 / step);
        }
        job.AddStep(6, 6, 0.25); // a repeated step: the last event wins

        JobReport report = await JobReport.LoadAsync(new JobsClient(f.Client), job.Id, FineTune.Models.ModelCatalog.Embedded, null, null, default);

        Assert.Equal(Enumerable.Range(1, 6), report.Metrics.Select(m => m.Step));
        Assert.Equal(0.25, report.Metrics[^1].TrainLoss);
        Assert.Equal(0.5, report.Metrics[0].TrainAccuracy);
        Assert.StartsWith("metrics events", report.MetricsSource);
        Assert.Null(report.Duration);
        Assert.Null(report.Cost); // no trained tokens while it runs
        string html = HtmlReportTests.Render(new ReportContent { Jobs = { report } });
        Assert.Contains("data-series=\"Training\" data-points=\"6\"", html);
        Assert.Contains("<dt>Duration</dt><dd>(still running)</dd>", html);
    }

    [Fact]
    public async Task A_damaged_result_file_is_reported_and_the_job_still_shows()
    {
        await using EvaluationFixture f = await EvaluationFixture.StartAsync();
        FakeJob job = f.Jobs.Add("succeeded");
        job.ResultFiles.Add(f.Server.Files.Add("step_metrics.csv", "fine-tune-results", System.Text.Encoding.UTF8.GetBytes("step,train_loss\n1,<script>\n")).Id);
        FineTuneException? reported = null;

        JobReport report = await JobReport.LoadAsync(new JobsClient(f.Client), job.Id, null, null, error => reported = error, default);

        Assert.Equal("FineTune.Job.ResultFileInvalid", reported!.ErrorId);
        Assert.Empty(report.Metrics);
        string html = HtmlReportTests.Render(new ReportContent { Jobs = { report } });
        Assert.Contains("The metrics could not be read:", html);
        Assert.Contains("&#39;&lt;script&gt;&#39; is not a number", html);
        Assert.Contains("No values reported", html);
    }

    [Fact]
    public void Piped_examples_become_test_examples_or_errors_by_position()
    {
        var chat = new ChatExample { Messages = { new ChatMessage("user", "q"), new ChatMessage("assistant", "a") } };
        EvaluationInput good = TestSetReader.FromExample(chat, 3);
        EvaluationInput bad = TestSetReader.FromExample(new PromptCompletionExample("p", "c"), 4);

        Assert.Equal("a", good.Example!.Reference);
        Assert.Equal("q", good.Example.UserMessage);
        Assert.Equal(3, good.Example.Line);
        Assert.Equal("FineTune.Evaluation.NotChat", bad.Error!.ErrorId);
        Assert.StartsWith("example 4: ", bad.Error.Message);
    }
}
