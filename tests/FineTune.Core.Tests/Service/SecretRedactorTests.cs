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
    public void MasksKeysAndKeyFragmentsButNothingElse(string text, string expected)
    {
        Assert.Equal(expected, SecretRedactor.Redact(text, null));
    }

    [Fact]
    public void MasksTheConnectionsOwnKeyWhateverItsShape()
    {
        var key = new ApiKey("0123456789abcdef0123456789abcdef");

        Assert.Equal("azure key *** refused, *** again", SecretRedactor.Redact("azure key 0123456789abcdef0123456789abcdef refused, 0123456789abcdef0123456789abcdef again", key));
    }

    [Fact]
    public void MasksAPercentEncodedKey()
    {
        var key = new ApiKey("k3y/with+chars=");

        Assert.Equal("url ?key=*** failed", SecretRedactor.Redact("url ?key=k3y%2Fwith%2Bchars%3D failed", key));
    }
}
