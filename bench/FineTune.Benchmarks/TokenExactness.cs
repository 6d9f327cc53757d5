using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using FineTune.Benchmarks.Tokenizers;
using FineTune.Tokens;

namespace FineTune.Benchmarks;

/// <summary>
/// Compares one tokenizer's ids with tiktoken's, string by string (ids, not counts), and
/// computes the sha256 fingerprint bench.js computes for tiktoken. Each differing string is
/// filed under the <see cref="DifferenceKind"/> of the spot where its ids first diverge.
/// </summary>
internal sealed class TokenExactness
{
    private const int ExamplesPerKind = 2;

    public string Fingerprint { get; private set; } = "";

    public int Strings { get; private set; }

    public int StringsDiffering { get; private set; }

    /// <summary>Of the differing strings, those whose token count differs too.</summary>
    public int CountsDiffering { get; private set; }

    public int Documents { get; private set; }

    public int DocumentsDiffering { get; private set; }

    public SortedDictionary<string, KindTally> Kinds { get; } = new(StringComparer.Ordinal);

    public sealed class KindTally
    {
        public int Strings { get; set; }

        public List<object> Examples { get; } = new();
    }

    /// <summary>
    /// Encodes every string; with <paramref name="reference"/> null only the fingerprint is
    /// computed. <paramref name="encoding"/> decodes tiktoken's ids to locate the first difference.
    /// </summary>
    public static TokenExactness Check(TokenizerUnderTest tokenizer, BenchStrings strings, ReferenceIds? reference, TokenEncoding encoding)
    {
        if (reference is not null && reference.Count != strings.Texts.Count)
        {
            throw new InvalidOperationException(
                $"tiktoken's ids cover {reference.Count} strings, the input has {strings.Texts.Count}: the two readers disagree.");
        }
        var result = new TokenExactness { Strings = strings.Texts.Count, Documents = strings.Documents };
        var differingDocuments = new HashSet<int>();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] separator = { 0xFF, 0xFF, 0xFF, 0xFF };
        for (int i = 0; i < strings.Texts.Count; i++)
        {
            string text = strings.Texts[i];
            int[] ids;
            try
            {
                ids = tokenizer.Encode(text).ToArray();
            }
            catch (Exception error) when (reference is not null)
            {
                result.Record(DifferenceKind.Exception, i, text, 0, error.GetType().Name + ": " + error.Message, countDiffers: true);
                differingDocuments.Add(strings.DocumentOf[i]);
                continue;
            }
            hash.AppendData(MemoryMarshal.AsBytes(ids.AsSpan()));
            hash.AppendData(separator);
            if (reference is null)
            {
                continue;
            }
            ReadOnlySpan<uint> expected = reference.Of(i);
            int first = FirstDifference(expected, ids);
            if (first < 0)
            {
                continue;
            }
            int at = CharIndexOfByte(text, encoding.DecodeBytes(ToInts(expected.Slice(0, first))).Length);
            string detail = $"tiktoken {Ids(expected.Slice(first))} / {tokenizer.Library} {Ids(ids.AsSpan(first))}";
            result.Record(DifferenceKind.Classify(text, at, encoding.SpecialTokens), i, text, at, detail, expected.Length != ids.Length);
            differingDocuments.Add(strings.DocumentOf[i]);
        }
        result.Fingerprint = Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
        result.DocumentsDiffering = differingDocuments.Count;
        return result;
    }

    private void Record(string kind, int index, string text, int at, string detail, bool countDiffers)
    {
        StringsDiffering++;
        CountsDiffering += countDiffers ? 1 : 0;
        if (!Kinds.TryGetValue(kind, out KindTally? tally))
        {
            Kinds[kind] = tally = new KindTally();
        }
        tally.Strings++;
        if (tally.Examples.Count < ExamplesPerKind)
        {
            tally.Examples.Add(new { @string = index, text = DifferenceKind.Snippet(text, at), ids = detail });
        }
    }

    private static int FirstDifference(ReadOnlySpan<uint> expected, int[] actual)
    {
        int common = Math.Min(expected.Length, actual.Length);
        for (int i = 0; i < common; i++)
        {
            if (expected[i] != (uint)actual[i])
            {
                return i;
            }
        }
        return expected.Length == actual.Length ? -1 : common;
    }

    /// <summary>The char holding UTF-8 byte <paramref name="offset"/> of the text (lone surrogates are U+FFFD, 3 bytes, as tiktoken sees them).</summary>
    private static int CharIndexOfByte(string text, int offset)
    {
        int bytes = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            bool pair = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
            bytes += pair ? 4 : c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
            if (bytes > offset)
            {
                return i;
            }
            i += pair ? 1 : 0;
        }
        return text.Length;
    }

    private static int[] ToInts(ReadOnlySpan<uint> ids)
    {
        var ints = new int[ids.Length];
        for (int i = 0; i < ids.Length; i++)
        {
            ints[i] = (int)ids[i];
        }
        return ints;
    }

    private static string Ids(ReadOnlySpan<uint> ids) => Ids(ToInts(ids).AsSpan());

    private static string Ids(ReadOnlySpan<int> ids)
    {
        const int Shown = 4;
        string shown = string.Join(' ', ids.Slice(0, Math.Min(Shown, ids.Length)).ToArray());
        return "[" + shown + (ids.Length > Shown ? " …]" : "]");
    }
}
