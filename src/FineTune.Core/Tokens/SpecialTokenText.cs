using System;
using System.Collections.Generic;

namespace FineTune.Tokens;

/// <summary>
/// What special-token text is, in one place: the special tokens of each encoding, and the
/// <c>&lt;|name|&gt;</c> shape they all share, which dataset validation looks for because the
/// service rejects training text containing any such marker (the encodings' own tokens and
/// chat markers such as <c>&lt;|im_start|&gt;</c> alike).
/// </summary>
public static class SpecialTokenText
{
    /// <summary>How every special-token text starts; text without it has none.</summary>
    public const string Start = "<|";

    /// <summary><see cref="Start"/> in UTF-8, for a fast pre-scan of raw lines before any string is decoded.</summary>
    public static ReadOnlySpan<byte> StartUtf8 => "<|"u8;

    /// <summary>The special tokens of <c>cl100k_base</c>, as tiktoken defines them.</summary>
    public static IReadOnlyList<string> Cl100kBase { get; } =
        new[] { "<|endoftext|>", "<|fim_prefix|>", "<|fim_middle|>", "<|fim_suffix|>", "<|endofprompt|>" };

    /// <summary>The special tokens of <c>o200k_base</c>, as tiktoken defines them.</summary>
    public static IReadOnlyList<string> O200kBase { get; } = new[] { "<|endoftext|>", "<|endofprompt|>" };

    /// <summary>
    /// The first text shaped like a special token, <c>&lt;|</c> then 1 to 38 letters, digits or
    /// underscores then <c>|&gt;</c> (every token of <see cref="Cl100kBase"/> and
    /// <see cref="O200kBase"/> has this shape), or null.
    /// </summary>
    public static string? FindAny(string text)
    {
        int start = 0;
        while ((start = text.IndexOf(Start, start, StringComparison.Ordinal)) >= 0)
        {
            int i = start + 2;
            while (i < text.Length && i - start < 40 && (text[i] is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '_'))
            {
                i++;
            }
            if (i > start + 2 && i + 1 < text.Length && text[i] == '|' && text[i + 1] == '>')
            {
                return text.Substring(start, i + 2 - start);
            }
            start += 2;
        }
        return null;
    }

    /// <summary>The first of <paramref name="specials"/>, in their order, that <paramref name="text"/> contains, or null.</summary>
    internal static string? FindListed(string? text, IReadOnlyList<string> specials)
    {
        if (text is null || text.IndexOf(Start, StringComparison.Ordinal) < 0)
        {
            return null;
        }
        foreach (string special in specials)
        {
            if (text.IndexOf(special, StringComparison.Ordinal) >= 0)
            {
                return special;
            }
        }
        return null;
    }
}
