using System.Collections.Generic;
using System.IO;
using System.Linq;
using FineTune.Datasets;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace FineTune.Core.Tests.Datasets;

public class DatasetSplitterTests
{
    [Fact]
    public void Selection_is_the_same_on_every_platform()
    {
        // A golden vector: SplitMix64 and selection sampling are integer-only, so these never change.
        string picked = string.Concat(DatasetSplitter.Selection(20, 5, 7).Select(b => b ? '1' : '0'));
        Assert.Equal(5, picked.Count(c => c == '1'));
        Assert.Equal(GoldenSeed7, picked);
        Assert.NotEqual(picked, string.Concat(DatasetSplitter.Selection(20, 5, 8).Select(b => b ? '1' : '0')));
    }

    // Computed independently with a Python SplitMix64 + selection sampling script.
    private const string GoldenSeed7 = "00100100000000110001";

    [Fact]
    public void Selection_picks_exactly_the_requested_count()
    {
        Prop.ForAll(Gen.Choose(1, 500).SelectMany(n => Gen.Choose(0, n).SelectMany(v => Gen.Choose(int.MinValue, int.MaxValue).Select(s => (n, v, s)))).ToArbitrary(),
            t => DatasetSplitter.Selection(t.n, t.v, t.s).Count(b => b) == t.v)
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Split_loses_and_duplicates_nothing_and_keeps_order()
    {
        using var dir = new TempDirectory();
        int run = 0;
        Prop.ForAll(Gen.Choose(2, 120).SelectMany(n => Gen.Choose(1, n - 1).SelectMany(v => Gen.Choose(0, 1000).Select(s => (n, v, s)))).ToArbitrary(), t =>
        {
            string input = dir.Write("d" + run++ + ".jsonl", string.Concat(Enumerable.Range(0, t.n).Select(i => (i % 7 == 0 ? "{\"same\":1}" : "{\"i\":" + i + "}") + (i % 3 == 0 ? "\r\n" : "\n\n"))));
            var lines = File.ReadAllLines(input).Where(l => l.Length > 0).ToList();
            DatasetSplit split = DatasetSplitter.Split(input, null, t.v, t.s);
            var training = File.ReadAllLines(split.TrainingPath).ToList();
            var validation = File.ReadAllLines(split.ValidationPath).ToList();
            bool ok = split.ValidationCount == t.v && split.TrainingCount == t.n - t.v
                && validation.Count == t.v && training.Count == t.n - t.v
                && IsSubsequence(training, lines) && IsSubsequence(validation, lines)
                && training.Concat(validation).OrderBy(x => x, System.StringComparer.Ordinal).SequenceEqual(lines.OrderBy(x => x, System.StringComparer.Ordinal))
                && !File.ReadAllText(split.TrainingPath).Contains('\r');
            DatasetSplit again = DatasetSplitter.Split(input, null, t.v, t.s);
            ok &= File.ReadAllLines(again.ValidationPath).SequenceEqual(validation);
            return ok;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Ratio_defaults_and_limits()
    {
        Assert.Equal(10, DatasetSplitter.ValidationSize(100, null, null));
        Assert.Equal(1, DatasetSplitter.ValidationSize(5, 0.01, null));
        Assert.Equal(4, DatasetSplitter.ValidationSize(5, 0.99, null));
        Assert.Equal(3, DatasetSplitter.ValidationSize(25, 0.1, null)); // 2.5 rounds away from zero
        Assert.Equal("FineTune.Dataset.InvalidValidationRatio", Assert.Throws<FineTuneException>(() => DatasetSplitter.ValidationSize(10, 1.0, null)).ErrorId);
        Assert.Equal("FineTune.Dataset.InvalidValidationCount", Assert.Throws<FineTuneException>(() => DatasetSplitter.ValidationSize(10, null, 10)).ErrorId);
        Assert.Equal("FineTune.Dataset.TooFewToSplit", Assert.Throws<FineTuneException>(() => DatasetSplitter.ValidationSize(1, null, null)).ErrorId);
    }

    [Fact]
    public void Default_output_names_sit_beside_the_input()
    {
        using var dir = new TempDirectory();
        string input = dir.Write("qa.jsonl", string.Concat(Enumerable.Range(0, 10).Select(i => "{\"i\":" + i + "}\n")));
        DatasetSplit split = DatasetSplitter.Split(input, 0.2, null, 7);
        Assert.Equal(dir.File("qa.train.jsonl"), split.TrainingPath);
        Assert.Equal(dir.File("qa.validation.jsonl"), split.ValidationPath);
        Assert.Equal((8L, 2L), (split.TrainingCount, split.ValidationCount));
        Assert.Equal(3, Directory.GetFiles(dir.Path).Length);
    }

    [Fact]
    public void A_failed_split_leaves_existing_outputs_untouched()
    {
        using var dir = new TempDirectory();
        string input = dir.Write("one.jsonl", "{\"i\":1}\n");
        string training = dir.Write("one.train.jsonl", "keep\n");
        Assert.Throws<FineTuneException>(() => DatasetSplitter.Split(input, 0.5, null, 1));
        Assert.Equal("keep\n", File.ReadAllText(training));
        Assert.Equal(2, Directory.GetFiles(dir.Path).Length);
    }

    private static bool IsSubsequence(List<string> part, List<string> whole)
    {
        int j = 0;
        foreach (string line in whole)
        {
            if (j < part.Count && part[j] == line)
            {
                j++;
            }
        }
        return j == part.Count;
    }
}
