using System.Collections.Generic;
using SharpToken;

namespace FineTune.Benchmarks.Tokenizers;

/// <summary>
/// SharpToken's <see cref="GptEncoding"/>. Its default refuses text containing special-token
/// text (it throws); an empty disallowed set with no allowed tokens is its
/// <c>encode_ordinary</c>.
/// </summary>
internal sealed class SharpTokenTokenizer : TokenizerUnderTest
{
    private static readonly HashSet<string> s_noneDisallowed = new();

    private readonly GptEncoding _encoding;

    public SharpTokenTokenizer(string encoding) => _encoding = GptEncoding.GetEncoding(encoding);

    public override string Library => "SharpToken";

    public override string Version => VersionOf(typeof(GptEncoding));

    public override int CountTokens(string text) => _encoding.CountTokens(text, allowedSpecial: null, disallowedSpecial: s_noneDisallowed);

    public override IReadOnlyList<int> Encode(string text) => _encoding.Encode(text, allowedSpecial: null, disallowedSpecial: s_noneDisallowed);
}
