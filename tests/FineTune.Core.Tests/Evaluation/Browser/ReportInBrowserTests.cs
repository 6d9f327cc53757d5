using System;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using FineTune.Evaluation.Report;
using Xunit;

namespace FineTune.Tests.Evaluation.Browser;

/// <summary>
/// The report as a person sees it: opened from disk in a real headless Chromium (Debian's
/// package), which must load it with no console error and no request beyond the file, plot
/// the curves, show every row, run the sort and filter script under the page's policy, keep
/// hostile text as text, and print. A screenshot is kept under out/TestResults.
/// </summary>
public sealed class ReportInBrowserTests
{
    [Fact]
    public async Task The_report_loads_plots_filters_sorts_and_keeps_hostile_text_as_text()
    {
        ReportContent content = await HtmlReportTests.Content(HtmlReportTests.Hostile, rows: 12);
        string folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "finetune-report-" + Guid.NewGuid().ToString("N"))).FullName;
        string path = Path.Combine(folder, "report.html");
        HtmlReport.WriteFile(path, content);
        string url = new Uri(path).AbsoluteUri;

        await using DevToolsPage page = await DevToolsPage.StartAsync();
        await page.NavigateAsync(url);

        try
        {
            Assert.Equal(12, (int)(await page.EvaluateAsync("document.querySelectorAll('#results tbody tr').length"))!);
            Assert.Equal("12", (string?)await page.EvaluateAsync("document.getElementById('shown').textContent"));

            // Every chart series is a rendered path with one vertex per step.
            JsonArray paths = (await page.EvaluateAsync(
                "Array.from(document.querySelectorAll('figure.chart path.line')).map(p => ({ vertices: p.getAttribute('d').split(/[ML]/).length - 1, length: p.getTotalLength() }))"))!.AsArray();
            Assert.Equal(4, paths.Count);
            Assert.All(paths, p => Assert.True((int)p!["vertices"]! >= 5 && (double)p["length"]! > 10, p!.ToJsonString()));

            // Hostile text stayed text: no script ran, no element was made from it, and it reads as written.
            Assert.Equal("undefined", (string?)await page.EvaluateAsync("typeof window.__pwned"));
            Assert.True((bool)(await page.EvaluateAsync("document.getElementById('hostile') === null && document.querySelectorAll('img, b').length === 0"))!);
            Assert.Equal(1, (int)(await page.EvaluateAsync("document.scripts.length"))!);
            string question = (string)(await page.EvaluateAsync("document.querySelector('#results tbody tr td:nth-child(2)').textContent"))!;
            Assert.StartsWith("</td></tr></table><script>window.__pwned = 1</script><img src=x onerror=\"window.__pwned = 2\">", question);
            Assert.Contains("Report </td></tr></table><script>", (string)(await page.EvaluateAsync("document.title"))!);

            // The inline script runs under the policy: filtering and sorting work.
            int shown = (int)(await page.EvaluateAsync(
                "(() => { const f = document.getElementById('filter'); f.value = 'question 1'; f.dispatchEvent(new Event('input')); return document.querySelectorAll('#results tbody tr:not([hidden])').length; })()"))!;
            Assert.Equal(4, shown); // question 1, 10, 11, 12
            Assert.Equal("4", (string?)await page.EvaluateAsync("document.getElementById('shown').textContent"));
            await page.EvaluateAsync("(() => { const f = document.getElementById('filter'); f.value = ''; f.dispatchEvent(new Event('input')); })()");
            JsonArray lines = (await page.EvaluateAsync(
                "(() => { const b = document.querySelector('#results thead th button'); b.click(); b.click(); return Array.from(document.querySelectorAll('#results tbody tr')).map(r => Number(r.cells[0].textContent)); })()"))!.AsArray();
            Assert.Equal(Enumerable.Range(1, 12).Reverse(), lines.Select(l => (int)l!));
            Assert.Equal("descending", (string?)await page.EvaluateAsync("document.querySelector('#results thead th').getAttribute('aria-sort')"));

            // Printing hides the controls and makes a PDF.
            await page.CallAsync("Emulation.setEmulatedMedia", new JsonObject { ["media"] = "print" });
            Assert.Equal("none", (string?)await page.EvaluateAsync("getComputedStyle(document.querySelector('.controls')).display"));
            await page.CallAsync("Emulation.setEmulatedMedia", new JsonObject { ["media"] = "" });
            byte[] pdf = await page.PrintToPdfAsync();
            Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(pdf, 0, 4));

            Assert.Empty(page.Problems);
            Assert.All(page.RequestedUrls, u => Assert.Equal(url, u));
        }
        finally
        {
            string artifacts = Directory.CreateDirectory(Path.Combine(TestPaths.RepositoryRoot, "out", "TestResults")).FullName;
            await File.WriteAllBytesAsync(Path.Combine(artifacts, "report-in-chromium.png"), await page.ScreenshotAsync());
            File.Copy(path, Path.Combine(artifacts, "report-in-chromium.html"), overwrite: true);
            Directory.Delete(folder, recursive: true);
        }
    }
}
