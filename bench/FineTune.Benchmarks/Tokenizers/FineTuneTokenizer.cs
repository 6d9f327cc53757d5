using System.Collections.Generic;
using FineTune.Tokens;

namespace FineTune.Benchmarks.Tokenizers;

/// <summary>The engine's own tokenizer (FineTune.Core), <c>encode_ordinary</c> by design.</summary>
internal sealed class FineTuneTokenizer : TokenizerUnderTest
{
    private readonly TokenEncoding _encoding;

    public FineTuneTokenizer(string encoding) => _encoding = TokenEncoding.Get(encoding);

    public override string Library => "FineTune.Core";

    public override string Version => VersionOf(typeof(TokenEncoding));

    public override int CountTokens(string text) => _encoding.CountTokens(text);

    public override IReadOnlyList<int> Encode(string text) => _encoding.Encode(text);
}
