using System;
using System.Buffers;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;

namespace FineTune.Tokens;

/// <summary>
/// A tiktoken-compatible byte-level BPE encoding (<c>cl100k_base</c> or <c>o200k_base</c>):
/// the same pre-tokenization, ranks and token ids as OpenAI's tiktoken with
/// <c>encode_ordinary</c> semantics, so special-token text such as <c>&lt;|endoftext|&gt;</c>
/// is ordinary text. Instances are immutable and thread-safe; each encoding's ranks are
/// loaded from the engine's embedded data once per process, on first use.
/// </summary>
public sealed class TokenEncoding
{
    private const int StackPieceBytes = 1024;

    private static readonly Lazy<TokenEncoding> s_cl100k = new(() => new TokenEncoding("cl100k_base", o200k: false), LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<TokenEncoding> s_o200k = new(() => new TokenEncoding("o200k_base", o200k: true), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly bool _o200k;

    private TokenEncoding(string name, bool o200k)
    {
        Name = name;
        _o200k = o200k;
        Ranks = BpeRanks.Load(name);
        // Load the character table now, so the encoder's loops, compiled optimized on their
        // first call, read it as a constant instead of checking it is loaded at every character.
        RuntimeHelpers.RunClassConstructor(typeof(CharClass).TypeHandle);
        SpecialTokens = o200k ? SpecialTokenText.O200kBase : SpecialTokenText.Cl100kBase;
    }

    /// <summary>The encodings this engine implements.</summary>
    public static IReadOnlyList<string> Names { get; } = new[] { "cl100k_base", "o200k_base" };

    /// <summary>The encoding's name, e.g. <c>o200k_base</c>.</summary>
    public string Name { get; }

    /// <summary>Number of ordinary (mergeable) tokens; ids are 0 to this minus one.</summary>
    public int TokenCount => Ranks.Count;

    internal BpeRanks Ranks { get; }

    /// <summary>
    /// The special-token texts of this encoding (e.g. <c>&lt;|endoftext|&gt;</c>). This engine
    /// counts them as ordinary text, as <c>encode_ordinary</c> does; training files containing
    /// them are rejected by the service, so dataset checks look for them.
    /// </summary>
    public IReadOnlyList<string> SpecialTokens { get; }

    /// <summary>The first special-token text found in <paramref name="text"/>, or null.</summary>
    public string? FindSpecialToken(string? text) => SpecialTokenText.FindListed(text, SpecialTokens);

    /// <summary>The encoding with this name (case-insensitive), loaded on first use.</summary>
    /// <exception cref="FineTuneException">The name is not one of <see cref="Names"/>.</exception>
    public static TokenEncoding Get(string name)
    {
        if (string.Equals(name, "cl100k_base", StringComparison.OrdinalIgnoreCase))
        {
            return s_cl100k.Value;
        }
        if (string.Equals(name, "o200k_base", StringComparison.OrdinalIgnoreCase))
        {
            return s_o200k.Value;
        }
        throw new FineTuneException("FineTune.Tokens.UnknownEncoding", FailureKind.InvalidArgument,
            $"Unknown token encoding '{name}'.", name, $"Use one of: {string.Join(", ", Names)}.");
    }

    /// <summary>The number of tokens of <paramref name="text"/>.</summary>
    public int CountTokens(string? text) => text is null ? 0 : CountTokens(text.AsSpan());

    /// <summary>The number of tokens of <paramref name="text"/>.</summary>
    public int CountTokens(ReadOnlySpan<char> text)
    {
        var counter = new TokenCounter();
        Encode(text, ref counter);
        return counter.Count;
    }

    /// <summary>The token ids of <paramref name="text"/>.</summary>
    public int[] Encode(string? text) => text is null ? Array.Empty<int>() : Encode(text.AsSpan());

    /// <summary>The token ids of <paramref name="text"/>.</summary>
    public int[] Encode(ReadOnlySpan<char> text)
    {
        var ids = new List<int>(text.Length / 3 + 4);
        Encode(text, ids);
        return ids.ToArray();
    }

    /// <summary>Appends the token ids of <paramref name="text"/> to <paramref name="ids"/>.</summary>
    public void Encode(ReadOnlySpan<char> text, List<int> ids)
    {
        if (ids is null)
        {
            throw new ArgumentNullException(nameof(ids));
        }
        var appender = new TokenAppender(ids);
        Encode(text, ref appender);
    }

    /// <summary>The bytes the token ids stand for (UTF-8 text when the ids came from text).</summary>
    /// <exception cref="FineTuneException">An id is not a token of this encoding.</exception>
    public byte[] DecodeBytes(IEnumerable<int> ids)
    {
        if (ids is null)
        {
            throw new ArgumentNullException(nameof(ids));
        }
        var bytes = new List<byte>();
        foreach (int id in ids)
        {
            if ((uint)id >= (uint)Ranks.Count)
            {
                throw new FineTuneException("FineTune.Tokens.UnknownTokenId", FailureKind.InvalidArgument,
                    $"{id} is not a token id of {Name} (ids are 0 to {Ranks.Count - 1}).", id);
            }
            foreach (byte b in Ranks.Token(id))
            {
                bytes.Add(b);
            }
        }
        return bytes.ToArray();
    }

    /// <summary>The text the token ids stand for; invalid UTF-8 becomes U+FFFD.</summary>
    public string Decode(IEnumerable<int> ids) => System.Text.Encoding.UTF8.GetString(DecodeBytes(ids));

    /// <inheritdoc/>
    public override string ToString() => Name;

    [MethodImpl(HotPath.Optimize)]
    internal void Encode<TSink>(ReadOnlySpan<char> text, ref TSink sink)
        where TSink : struct, ITokenSink
    {
        Span<byte> buffer = stackalloc byte[StackPieceBytes];
        byte[]? rented = null;
        try
        {
            int start = 0;
            while (start < text.Length)
            {
                int end = _o200k ? O200kPattern.NextPieceEnd(text, start) : Cl100kPattern.NextPieceEnd(text, start);
                ReadOnlySpan<char> piece = text.Slice(start, end - start);
                int maxBytes = Utf8Piece.MaxBytes(piece.Length);
                if (maxBytes > buffer.Length)
                {
                    if (rented is not null)
                    {
                        ArrayPool<byte>.Shared.Return(rented);
                    }
                    rented = ArrayPool<byte>.Shared.Rent(maxBytes);
                    buffer = rented;
                }
                ReadOnlySpan<byte> bytes = buffer.Slice(0, Utf8Piece.Write(piece, buffer));
                int rank = Ranks.Lookup(bytes);
                if (rank >= 0)
                {
                    sink.Add(rank);
                }
                else
                {
                    BytePairMerge.Merge(Ranks, bytes, ref sink);
                }
                start = end;
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
