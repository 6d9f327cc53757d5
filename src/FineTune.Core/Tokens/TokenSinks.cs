using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace FineTune.Tokens;

/// <summary>
/// Receives the token ids of an encoding pass. Implemented by structs so the encoder is
/// specialized per sink: counting does no more than an increment per token.
/// </summary>
internal interface ITokenSink
{
    void Add(int token);
}

internal struct TokenCounter : ITokenSink
{
    public int Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(int token) => Count++;
}

internal readonly struct TokenAppender : ITokenSink
{
    private readonly List<int> _ids;

    public TokenAppender(List<int> ids) => _ids = ids;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(int token) => _ids.Add(token);
}
