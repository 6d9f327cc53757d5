using System;
using FineTune.Service.Jobs;
using Xunit;

namespace FineTune.Tests.Service.Jobs;

public sealed class JobWaitPolicyTests
{
    [Fact]
    public void StartingAt_Nothing_IsTheDefaultPolicy()
    {
        var defaults = new JobWaitPolicy();
        JobWaitPolicy policy = JobWaitPolicy.StartingAt(null);
        Assert.Equal(defaults.InitialInterval, policy.InitialInterval);
        Assert.Equal(defaults.MaxInterval, policy.MaxInterval);
        Assert.Null(policy.Timeout);
    }

    [Fact]
    public void StartingAt_AShortInterval_KeepsTheDefaultCap()
    {
        JobWaitPolicy policy = JobWaitPolicy.StartingAt(TimeSpan.FromSeconds(1), TimeSpan.FromHours(2));
        Assert.Equal(TimeSpan.FromSeconds(1), policy.InitialInterval);
        Assert.Equal(new JobWaitPolicy().MaxInterval, policy.MaxInterval);
        Assert.Equal(TimeSpan.FromHours(2), policy.Timeout);
    }

    [Fact]
    public void StartingAt_AnIntervalAboveTheCap_RaisesTheCapSoItIsNeverShortened()
    {
        JobWaitPolicy policy = JobWaitPolicy.StartingAt(TimeSpan.FromMinutes(5));
        Assert.Equal(TimeSpan.FromMinutes(5), policy.InitialInterval);
        Assert.Equal(TimeSpan.FromMinutes(5), policy.MaxInterval);
        Assert.Equal(TimeSpan.FromMinutes(5), policy.Next(policy.InitialInterval));
    }
}
