using System;
using System.IO;
using System.IO.Compression;
using FineTune.Tests;
using FineTune.Tokens;
using Xunit;

namespace FineTune.Tests.Tokens;

/// <summary>
/// The embedded character class table is exactly what .NET 10's Unicode data gives (the data the
/// reference tests check against tiktoken), so .NET 8 and .NET Framework, with older Unicode
/// versions, classify like tiktoken too. Set FINETUNE_REGENERATE_CHARCLASS=1 to rewrite it
/// (after a .NET Unicode update, and then run the tiktoken reference tests).
/// </summary>
public sealed class CharClassTableTests
{
    private static string TablePath => Path.Combine(TestPaths.RepositoryRoot, "src", "FineTune.Core", "Tokens", "Data", "charclass.deflate");

    [Fact]
    public void EmbeddedTable_IsTheUnicode16Classification()
    {
        byte[] computed = CharClassData.Compute();
        if (Environment.GetEnvironmentVariable("FINETUNE_REGENERATE_CHARCLASS") == "1")
        {
            using var file = File.Create(TablePath);
            using var deflate = new DeflateStream(file, CompressionLevel.SmallestSize);
            deflate.Write(computed);
            return;
        }
        Assert.True(Environment.Version.Major >= 10, "the table must be computed with .NET 10's Unicode 16 data");
        Assert.True(CharClass.Table.SequenceEqual(computed), "the embedded table differs from .NET's Unicode data; regenerate it");
        Assert.Equal(CharClass.Letter | CharClass.Upper, CharClass.Table[0x10D50]);
        Assert.Equal(CharClass.Space, CharClass.Table[0x85]);
        Assert.Equal(CharClass.Other, CharClass.Table[0xFEFF]);
    }
}
