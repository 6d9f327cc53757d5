using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FineTune.Service.Jobs;
using Xunit;

namespace FineTune.Tests.Service.Jobs;

public sealed class FineTunedModelsTests
{
    [Fact]
    public async Task Lists_each_fine_tuned_model_once_newest_job_first_across_pages()
    {
        await using JobsFixture f = await JobsFixture.StartAsync();
        f.Jobs.Add("succeeded").FineTunedModel = "ft:gpt-4o-mini-2024-07-18:org:a:1";
        f.Jobs.Add("failed");
        f.Jobs.Add("succeeded").FineTunedModel = "ft:gpt-4o-mini-2024-07-18:org:b:2";
        f.Jobs.Add("running");
        f.Jobs.Add("succeeded").FineTunedModel = "ft:gpt-4o-mini-2024-07-18:org:a:1";
        f.Jobs.MaxPageSize = 2;

        var models = await FineTunedModels.ListAsync(f.Client, 100, CancellationToken.None);

        Assert.Equal(new[] { "ft:gpt-4o-mini-2024-07-18:org:a:1", "ft:gpt-4o-mini-2024-07-18:org:b:2" }, models.Select(m => m.Name));
        Assert.Equal("ftjob-0005", models[0].Job.Id);
    }

    [Fact]
    public async Task Reads_no_more_jobs_than_asked()
    {
        await using JobsFixture f = await JobsFixture.StartAsync();
        f.Jobs.Add("succeeded").FineTunedModel = "ft:old";
        f.Jobs.Add("succeeded").FineTunedModel = "ft:new";

        var models = await FineTunedModels.ListAsync(f.Client, 1, CancellationToken.None);

        Assert.Equal(new[] { "ft:new" }, models.Select(m => m.Name));
    }
}
