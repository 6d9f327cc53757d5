using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using FineTune.Service.Identity;
using Xunit;

namespace FineTune.Tests.Service.Identity;

public sealed class TokenCacheTests
{
    private static readonly HttpClient Http = new();

    [Fact]
    public async Task ATokenIsReusedUntilShortlyBeforeItExpiresThenRenewed()
    {
        DateTimeOffset now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        var credential = new CountingCredential(() => now, TimeSpan.FromHours(1));
        var cache = new TokenCache(credential, () => now);

        AccessToken first = await cache.GetTokenAsync(TokenScopes.CognitiveServices, Http, null, CancellationToken.None);
        now += TimeSpan.FromMinutes(54);
        AccessToken same = await cache.GetTokenAsync(TokenScopes.CognitiveServices, Http, null, CancellationToken.None);
        now += TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1);
        AccessToken renewed = await cache.GetTokenAsync(TokenScopes.CognitiveServices, Http, null, CancellationToken.None);

        Assert.Same(first, same);
        Assert.NotSame(first, renewed);
        Assert.Equal(2, credential.Calls);
    }

    [Fact]
    public async Task AShortLivedTokenIsRenewedHalfwayAndEachScopeHasItsOwn()
    {
        DateTimeOffset now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        var credential = new CountingCredential(() => now, TimeSpan.FromSeconds(10));
        var cache = new TokenCache(credential, () => now);

        await cache.GetTokenAsync(TokenScopes.CognitiveServices, Http, null, CancellationToken.None);
        await cache.GetTokenAsync("https://management.azure.com/.default", Http, null, CancellationToken.None);
        now += TimeSpan.FromSeconds(4);
        await cache.GetTokenAsync(TokenScopes.CognitiveServices, Http, null, CancellationToken.None);
        now += TimeSpan.FromSeconds(2);
        await cache.GetTokenAsync(TokenScopes.CognitiveServices, Http, null, CancellationToken.None);

        Assert.Equal(3, credential.Calls);
    }

    [Fact]
    public async Task AFailedRenewalKeepsTheStillValidTokenAndSaysSo()
    {
        DateTimeOffset now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        var credential = new CountingCredential(() => now, TimeSpan.FromMinutes(60));
        var cache = new TokenCache(credential, () => now);
        var log = new List<string>();

        AccessToken first = await cache.GetTokenAsync(TokenScopes.CognitiveServices, Http, log.Add, CancellationToken.None);
        credential.Fail = true;
        now += TimeSpan.FromMinutes(58);
        AccessToken kept = await cache.GetTokenAsync(TokenScopes.CognitiveServices, Http, log.Add, CancellationToken.None);
        now += TimeSpan.FromMinutes(3);

        Assert.Same(first, kept);
        Assert.Contains(log, line => line.Contains("stays valid", StringComparison.Ordinal));
        await Assert.ThrowsAsync<FineTuneException>(() => cache.GetTokenAsync(TokenScopes.CognitiveServices, Http, log.Add, CancellationToken.None));
    }

    [Fact]
    public async Task RedactionRemovesEveryTokenHandedOut()
    {
        DateTimeOffset now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        var credential = new CountingCredential(() => now, TimeSpan.FromSeconds(10));
        var cache = new TokenCache(credential, () => now);
        AccessToken first = await cache.GetTokenAsync(TokenScopes.CognitiveServices, Http, null, CancellationToken.None);
        now += TimeSpan.FromSeconds(9);
        AccessToken second = await cache.GetTokenAsync(TokenScopes.CognitiveServices, Http, null, CancellationToken.None);

        string text = cache.Redact($"old {first.Reveal()} new {second.Reveal()}");

        Assert.Equal("old *** new ***", text);
    }

    private sealed class CountingCredential : TokenCredential
    {
        private readonly Func<DateTimeOffset> _now;
        private readonly TimeSpan _lifetime;

        public CountingCredential(Func<DateTimeOffset> now, TimeSpan lifetime)
        {
            _now = now;
            _lifetime = lifetime;
        }

        public int Calls { get; private set; }

        public bool Fail { get; set; }

        public override string Description => "a counting test credential";

        internal override Task<AccessToken> RequestTokenAsync(string scope, HttpClient http, CancellationToken cancellationToken)
        {
            if (Fail)
            {
                throw new FineTuneException(IdentityErrorIds.TokenFailed, FailureKind.AuthenticationError, "The endpoint is down.");
            }
            Calls++;
            return Task.FromResult(new AccessToken("opaque-token-" + Calls + "-" + Guid.NewGuid().ToString("N"), _now() + _lifetime));
        }
    }
}
