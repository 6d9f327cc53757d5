using System;
using System.Runtime.CompilerServices;
#if NET8_0_OR_GREATER
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
#endif

namespace FineTune.Datasets;

/// <summary>
/// The common line read in one pass over its bytes, without a JSON document: a chat example
/// that has only "messages", each a system, user or assistant message with a role, non-empty
/// string content, and perhaps a valid name and (on an assistant message) a weight of 0 or 1,
/// written without escapes in its keys, roles and names. Such a line can
/// only have issues of the conversation as a whole, which <see cref="FormatRules.CheckConversation"/>
/// reports from the facts returned here. Any other line, valid JSON or not, returns false and
/// gets the full check, so this reader may refuse what is valid but never accepts what is not.
/// </summary>
internal static class PlainChatLine
{
    /// <summary>
    /// Reads <paramref name="json"/> if it is a plain chat example. The line must be valid UTF-8
    /// and must not contain special-token text; escaped lone surrogates are not looked for.
    /// </summary>
    [MethodImpl(HotPath.Optimize)]
    public static bool TryRead(ReadOnlySpan<byte> json, out ConversationFacts facts)
    {
        facts = null!;
        int i = 0;
        if (!Token(json, ref i, (byte)'{') || !Key(json, ref i, "\"messages\""u8) || !Token(json, ref i, (byte)'['))
        {
            return false;
        }
        var conversation = new ConversationFacts();
        do
        {
            if (!TryReadMessage(json, ref i, conversation))
            {
                return false;
            }
        }
        while (Token(json, ref i, (byte)','));
        if (!Token(json, ref i, (byte)']') || !Token(json, ref i, (byte)'}') || SkipSpace(json, i) != json.Length)
        {
            return false;
        }
        facts = conversation;
        return true;
    }

    [MethodImpl(HotPath.Optimize)]
    private static bool TryReadMessage(ReadOnlySpan<byte> json, ref int i, ConversationFacts conversation)
    {
        if (!Token(json, ref i, (byte)'{'))
        {
            return false;
        }
        string? role = null;
        bool content = false;
        bool named = false;
        int weight = -1;
        do
        {
            if (role is null && Key(json, ref i, "\"role\""u8))
            {
                role = Role(json, ref i);
                if (role is null)
                {
                    return false;
                }
            }
            else if (!content && Key(json, ref i, "\"content\""u8))
            {
                i = SkipSpace(json, i);
                // The raw text: an escape always stands for at least one character, so only "" is empty.
                if (!SkipString(json, ref i, out int rawLength) || rawLength == 0)
                {
                    return false;
                }
                content = true;
            }
            else if (weight < 0 && Key(json, ref i, "\"weight\""u8))
            {
                weight = Literal(json, ref i, "0"u8) ? 0 : Literal(json, ref i, "1"u8) ? 1 : -1;
                if (weight < 0)
                {
                    return false;
                }
            }
            else if (!named && Key(json, ref i, "\"name\""u8))
            {
                if (!Name(json, ref i))
                {
                    return false;
                }
                named = true;
            }
            else
            {
                return false;
            }
        }
        while (Token(json, ref i, (byte)','));
        // A number such as 10 or 1.5 ends the loop above at its second character, and so fails here.
        if (!Token(json, ref i, (byte)'}') || role is null || !content || (weight >= 0 && !ReferenceEquals(role, "assistant")))
        {
            return false;
        }
        conversation.Count++;
        conversation.LastRole = role;
        conversation.HasSystem |= ReferenceEquals(role, "system");
        conversation.HasUser |= ReferenceEquals(role, "user");
        if (ReferenceEquals(role, "assistant"))
        {
            conversation.HasAssistant = true;
            conversation.HasTrainedAssistant |= weight != 0;
            conversation.AssistantCount++;
        }
        return true;
    }

    /// <summary>The roles that need nothing but content (tool and function messages need more), as the rules' constants.</summary>
    [MethodImpl(HotPath.Optimize)]
    private static string? Role(ReadOnlySpan<byte> json, ref int i) =>
        Literal(json, ref i, "\"user\""u8) ? "user"
        : Literal(json, ref i, "\"assistant\""u8) ? "assistant"
        : Literal(json, ref i, "\"system\""u8) ? "system"
        : null;

    /// <summary>A name as the rules allow it (1 to 64 letters, digits, underscores or hyphens), without escapes.</summary>
    [MethodImpl(HotPath.Optimize)]
    private static bool Name(ReadOnlySpan<byte> json, ref int i)
    {
        int start = SkipSpace(json, i);
        int at = start;
        if (!SkipString(json, ref at, out int rawLength) || rawLength is 0 or > 64)
        {
            return false;
        }
        foreach (byte b in json.Slice(start + 1, rawLength))
        {
            if (!JsonChecks.IsNameCharacter(b))
            {
                return false;
            }
        }
        i = at;
        return true;
    }

    /// <summary>A key and its colon, after optional white space.</summary>
    [MethodImpl(HotPath.Optimize)]
    private static bool Key(ReadOnlySpan<byte> json, ref int i, ReadOnlySpan<byte> quotedName)
    {
        int at = i;
        if (Literal(json, ref at, quotedName) && Token(json, ref at, (byte)':'))
        {
            i = at;
            return true;
        }
        return false;
    }

    /// <summary>Exact bytes after optional white space.</summary>
    [MethodImpl(HotPath.Optimize)]
    private static bool Literal(ReadOnlySpan<byte> json, ref int i, ReadOnlySpan<byte> text)
    {
        int at = SkipSpace(json, i);
        if (!json.Slice(at).StartsWith(text))
        {
            return false;
        }
        i = at + text.Length;
        return true;
    }

    /// <summary>One structural character after optional white space.</summary>
    [MethodImpl(HotPath.Optimize)]
    private static bool Token(ReadOnlySpan<byte> json, ref int i, byte token)
    {
        int at = SkipSpace(json, i);
        if (at >= json.Length || json[at] != token)
        {
            return false;
        }
        i = at + 1;
        return true;
    }

    [MethodImpl(HotPath.Optimize)]
    private static int SkipSpace(ReadOnlySpan<byte> json, int i)
    {
        while (i < json.Length && json[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            i++;
        }
        return i;
    }

    /// <summary>A JSON string at <paramref name="i"/>: its escapes must be valid and it may hold no control character.</summary>
    [MethodImpl(HotPath.Optimize)]
    private static bool SkipString(ReadOnlySpan<byte> json, ref int i, out int rawLength)
    {
        rawLength = 0;
        if (i >= json.Length || json[i] != (byte)'"')
        {
            return false;
        }
        int start = i + 1;
        int at = start;
        while (true)
        {
            int stop = IndexOfStop(json.Slice(at));
            if (stop < 0)
            {
                return false;
            }
            at += stop;
            switch (json[at])
            {
                case (byte)'"':
                    rawLength = at - start;
                    i = at + 1;
                    return true;
                case (byte)'\\':
                    int length = EscapeLength(json, at);
                    if (length == 0)
                    {
                        return false;
                    }
                    at += length;
                    break;
                default:
                    return false;
            }
        }
    }

    /// <summary>The length of the escape at <paramref name="at"/>, or 0 when it is not a valid JSON escape.</summary>
    [MethodImpl(HotPath.Optimize)]
    private static int EscapeLength(ReadOnlySpan<byte> json, int at)
    {
        if (at + 1 >= json.Length)
        {
            return 0;
        }
        switch (json[at + 1])
        {
            case (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t':
                return 2;
            case (byte)'u':
                return JsonValueParser.Hex4(json, at + 2) >= 0 ? 6 : 0;
            default:
                return 0;
        }
    }

    /// <summary>
    /// Where a JSON string's plain run ends: its closing quote, an escape, or a control character
    /// (invalid there); -1 when none is left. Written with vectors here rather than through
    /// SearchValues, whose generic code a fresh process runs unoptimized for a long while.
    /// </summary>
    [MethodImpl(HotPath.Optimize)]
    private static int IndexOfStop(ReadOnlySpan<byte> text)
    {
        int i = 0;
#if NET8_0_OR_GREATER
        // The same loop at two widths: Vector256 where the processor has it (most x64), else
        // Vector128 (every arm64); one loop over Vector<byte> measured 15% slower here.
        if (Vector256.IsHardwareAccelerated)
        {
            ref byte start = ref MemoryMarshal.GetReference(text);
            Vector256<byte> quote = Vector256.Create((byte)'"');
            Vector256<byte> backslash = Vector256.Create((byte)'\\');
            Vector256<byte> space = Vector256.Create((byte)' ');
            for (; i + Vector256<byte>.Count <= text.Length; i += Vector256<byte>.Count)
            {
                Vector256<byte> bytes = Vector256.LoadUnsafe(ref start, (nuint)i);
                Vector256<byte> stops = Vector256.Equals(bytes, quote) | Vector256.Equals(bytes, backslash) | Vector256.LessThan(bytes, space);
                if (stops != Vector256<byte>.Zero)
                {
                    return i + BitOperations.TrailingZeroCount(stops.ExtractMostSignificantBits());
                }
            }
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            ref byte start = ref MemoryMarshal.GetReference(text);
            Vector128<byte> quote = Vector128.Create((byte)'"');
            Vector128<byte> backslash = Vector128.Create((byte)'\\');
            Vector128<byte> space = Vector128.Create((byte)' ');
            for (; i + Vector128<byte>.Count <= text.Length; i += Vector128<byte>.Count)
            {
                Vector128<byte> bytes = Vector128.LoadUnsafe(ref start, (nuint)i);
                Vector128<byte> stops = Vector128.Equals(bytes, quote) | Vector128.Equals(bytes, backslash) | Vector128.LessThan(bytes, space);
                if (stops != Vector128<byte>.Zero)
                {
                    return i + BitOperations.TrailingZeroCount(stops.ExtractMostSignificantBits());
                }
            }
        }
#endif
        for (; i < text.Length; i++)
        {
            if (text[i] < 0x20 || text[i] == (byte)'"' || text[i] == (byte)'\\')
            {
                return i;
            }
        }
        return -1;
    }
}
