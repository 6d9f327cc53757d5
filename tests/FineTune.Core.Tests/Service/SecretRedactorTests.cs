using System;
using FineTune.Service;
using Xunit;

namespace FineTune.Tests.Service;

public sealed class SecretRedactorTests
{
    [Theory]
    [InlineData("Incorrect API key provided: sk-proj-abcdefghijkl.", "Incorrect API key provided: ***.")]
    [InlineData("Incorrect API key provided: sk-proj-********************wxyz.", "Incorrect API key provided: ***.")]
    [InlineData("key ending ************************abcd was rejected", "key ending *** was rejected")]
    [InlineData("No such File object: file-abc123", "No such File object: file-abc123")]
    [InlineData("Authorization: Bearer eyJhbGciOiJSUzI1NiJ9abcdefgh.payload", "Authorization: Bearer ***")]
    [InlineData("token eyJ0eXAiOiJKV1QiLCJhbGciOi.eyJhdWQiOiJodHRwczovL2NvZ25p.c2lnbmF0dXJl was rejected", "token *** was rejected")]
    [InlineData("Bearer token expired", "Bearer token expired")]
    [InlineData("sk-SK.jsonl and sk-learn.jsonl are file names", "sk-SK.jsonl and sk-learn.jsonl are file names")]
    public void MasksKeysTokensAndKeyFragmentsButNothingElse(string text, string expected)
    {
        Assert.Equal(expected, SecretRedactor.Redact(text));
    }

    [Fact]
    public void MasksARegisteredSecretWhateverItsShape()
    {
        using IDisposable registration = SecretRedactor.Register("0123456789abcdef0123456789abcdef");

        Assert.Equal("azure key *** refused, *** again", SecretRedactor.Redact("azure key 0123456789abcdef0123456789abcdef refused, 0123456789abcdef0123456789abcdef again"));
    }

    [Theory]
    [InlineData("k")]
    [InlineData("EMPTY")]
    [InlineData("sk-1234")]
    public void ASecretTooShortToBeACredentialIsNotMaskedInsideOrdinaryWords(string placeholder)
    {
        using IDisposable registration = SecretRedactor.Register(placeholder);

        string text = "helpdesk EMPTY o200k_base sk-1234 $.k[0]";
        Assert.Equal(text, SecretRedactor.Redact(text));
    }

    [Theory]
    [InlineData("url ?key=k3y%2Fwith%2Bchars%3D~ failed")]
    [InlineData("url ?key=k3y%2fwith%2bchars%3d~ failed")]
    [InlineData("form key=k3y%2Fwith%2Bchars%3D%7E failed")]
    [InlineData("url ?key=k3y/with+chars=~ failed")]
    public void MasksARegisteredSecretInEveryUrlEncodedForm(string text)
    {
        using IDisposable registration = SecretRedactor.Register("k3y/with+chars=~");

        string redacted = SecretRedactor.Redact(text);

        Assert.Contains("***", redacted, StringComparison.Ordinal);
        Assert.DoesNotContain("k3y", redacted, StringComparison.Ordinal);
    }

    [Fact]
    public void ASecretIsMaskedUntilItsLastRegistrationEnds()
    {
        const string Token = "registered-token-7Gq2Xv9Lp4Wn";
        IDisposable first = SecretRedactor.Register(Token);
        IDisposable second = SecretRedactor.Register(Token);

        first.Dispose();
        first.Dispose();
        Assert.Equal("t=***", SecretRedactor.Redact("t=" + Token));
        second.Dispose();
        Assert.Equal("t=" + Token, SecretRedactor.Redact("t=" + Token));
    }

    [Fact]
    public void AConnectionRegistersItsKeyAndTokensAndReleasesThemWhenClosed()
    {
        const string Key = "connection-key-Wm4Rt8Zq1Ls6Pd";
        const string Token = "connection-token-Hy7Nc2Vb9Kx3";
        var connection = ServiceConnection.Create(new ServiceConnectionSettings { ApiKey = new ApiKey(Key), BaseUri = new Uri("http://127.0.0.1:9/v1") });
        connection.RegisterSecret(Token);

        Assert.Equal("*** ***", SecretRedactor.Redact(Key + " " + Token));
        connection.Dispose();
        Assert.Equal(Key + " " + Token, SecretRedactor.Redact(Key + " " + Token));
    }

    [Fact]
    public void AnExceptionNeverCarriesARegisteredSecretWhoeverBuiltIt()
    {
        const string Key = "exception-key-Bv5Tn1Qw8Rz2";
        using IDisposable registration = SecretRedactor.Register(Key);

        var plain = new FineTuneException("FineTune.Test", FailureKind.NotSpecified, "failed with " + Key, null, "do not use " + Key);
        var service = new ServiceException("FineTune.Test", FailureKind.NotSpecified, "failed with " + Key, null, null, null, 400,
            requestId: Key, serviceMessage: Key, serviceType: Key, serviceCode: Key, param: Key);

        Assert.Equal("failed with ***", plain.Message);
        Assert.Equal("do not use ***", plain.RecommendedAction);
        Assert.Equal("failed with ***", service.Message);
        Assert.All(new[] { service.RequestId, service.ServiceMessage, service.ServiceType, service.ServiceCode, service.Param }, field => Assert.Equal("***", field));
    }
}
