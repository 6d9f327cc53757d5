using System.Collections.Generic;
using Microsoft.ML.Tokenizers;

namespace FineTune.Benchmarks.Tokenizers;

/// <summary>
/// Microsoft.ML.Tokenizers' <see cref="TiktokenTokenizer"/> from its encoding data packages,
/// through its documented entry point. Its pre-tokenizer splits out the encoding's special
/// tokens, which a new instance encodes as the special ids (tiktoken's <c>encode</c> with every
/// special token allowed); the entry point has no switch for <c>encode_ordinary</c>.
/// </summary>
internal sealed class MlTokenizersTokenizer : TokenizerUnderTest
{
    private readonly TiktokenTokenizer _tokenizer;

    public MlTokenizersTokenizer(string encoding) => _tokenizer = TiktokenTokenizer.CreateForEncoding(encoding);

    public override string Library => "Microsoft.ML.Tokenizers";

    public override string Version => VersionOf(typeof(TiktokenTokenizer));

    public override int CountTokens(string text) => _tokenizer.CountTokens(text);

    public override IReadOnlyList<int> Encode(string text) => _tokenizer.EncodeToIds(text);
}
