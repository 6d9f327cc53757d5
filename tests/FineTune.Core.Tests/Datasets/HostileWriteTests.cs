using System;
using System.IO;
using System.Linq;
using System.Text;
using FineTune.Datasets;
using Xunit;

namespace FineTune.Core.Tests.Datasets;

/// <summary>
/// Writes that fail or are killed: a full disk (simulated by a stream that writes part of a
/// chunk and then fails with ENOSPC, as a real one does), temporary files a killed process
/// left, a kill between the two renames of a split, a read-only target.
/// </summary>
public class HostileWriteTests
{
    private const int NoSpaceLeft = 28; // ENOSPC

    [Fact]
    public void A_full_disk_is_WriteFailed_and_leaves_no_temporary_file_and_the_old_file()
    {
        using var dir = new TempDirectory();
        string target = dir.Write("out.jsonl", "old\n");
        var writer = new JsonlWriter(AtomicFileWriter.Open(target, FileWriteMode.Overwrite, false, file => new FullDisk(file, room: 0)));
        FineTuneException error;
        using (writer)
        {
            writer.WriteRecord("x");
            error = Assert.Throws<FineTuneException>(() => writer.Commit());
        }
        Assert.Equal("FineTune.Path.WriteFailed", error.ErrorId);
        Assert.Equal(FailureKind.WriteError, error.Kind);
        Assert.Contains(target, error.Message);
        Assert.Contains("No space left", error.Message);
        Assert.IsType<IOException>(error.InnerException);
        Assert.Equal("old\n", File.ReadAllText(target));
        Assert.Equal(new[] { target }, Directory.GetFiles(dir.Path)); // no 0-byte temporary file
    }

    [Fact]
    public void A_full_disk_in_the_middle_of_a_big_export_is_WriteFailed_when_the_chunk_is_written()
    {
        using var dir = new TempDirectory();
        string target = dir.File("big.jsonl");
        using var writer = new JsonlWriter(AtomicFileWriter.Open(target, FileWriteMode.Overwrite, false, file => new FullDisk(file, room: 100_000)));
        FineTuneException error = Assert.Throws<FineTuneException>(() =>
        {
            for (int i = 0; i < 100_000; i++)
            {
                writer.WriteRecord(new string('a', 100));
            }
        });
        Assert.Equal("FineTune.Path.WriteFailed", error.ErrorId);
        writer.Dispose();
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void An_append_on_a_full_disk_is_cut_back_to_its_last_whole_line()
    {
        using var dir = new TempDirectory();
        string target = dir.Write("log.jsonl", "{\"a\":1}\n");
        FineTuneException error;
        using (var writer = new JsonlWriter(AtomicFileWriter.Open(target, FileWriteMode.Append, false, file => new FullDisk(file, room: 300_000))))
        {
            error = Assert.Throws<FineTuneException>(() =>
            {
                for (int i = 0; i < 100_000; i++)
                {
                    writer.WriteRecord(new string('b', 1000));
                }
            });
        }
        Assert.Equal("FineTune.Path.WriteFailed", error.ErrorId);
        Assert.Contains("cut back to the end of its last whole line", error.Message);
        string[] lines = File.ReadAllText(target).Split('\n');
        Assert.Equal("{\"a\":1}", lines[0]);
        Assert.Equal(string.Empty, lines[^1]); // ends with a line end: no torn line such as {"
        Assert.All(lines.Skip(1).SkipLast(1), line => Assert.Equal("\"" + new string('b', 1000) + "\"", line));
        Assert.True(lines.Length > 2, "the whole chunks written before the failure stay");
    }

    [Fact]
    public void An_append_that_fails_at_once_restores_the_previous_length_exactly()
    {
        using var dir = new TempDirectory();
        string target = dir.Write("log.jsonl", "{\"a\":1}"); // no line end: the writer adds one first
        using (var writer = new JsonlWriter(AtomicFileWriter.Open(target, FileWriteMode.Append, false, file => new FullDisk(file, room: 2))))
        {
            writer.WriteRecord(new { b = 2 });
            Assert.Equal("FineTune.Path.WriteFailed", Assert.Throws<FineTuneException>(() => writer.Commit()).ErrorId);
        }
        Assert.Equal("{\"a\":1}", File.ReadAllText(target));
    }

    [Fact]
    public void An_abandoned_append_keeps_the_records_written_and_never_half_a_line()
    {
        using var dir = new TempDirectory();
        string target = dir.Write("log.jsonl", "{\"a\":1}\n");
        using (JsonlWriter writer = JsonlWriter.Open(target, FileWriteMode.Append))
        {
            writer.WriteRecord(1);
            writer.WriteRecord(2);
            var cyclic = new System.Collections.Generic.List<object>();
            cyclic.Add(cyclic);
            Assert.Throws<FineTuneException>(() => writer.WriteRecord(new object[] { "half", cyclic }));
            // Ctrl+C here: disposed without a commit.
        }
        Assert.Equal("{\"a\":1}\n1\n2\n", File.ReadAllText(target));
    }

    [Fact]
    public void Temporary_files_a_killed_process_left_are_deleted_by_the_next_write_of_the_same_target()
    {
        using var dir = new TempDirectory();
        string target = dir.Write("out.jsonl", "old\n");
        string abandoned = dir.Write(".out.jsonl.0123456789ab.tmp", "{\"half");
        string otherTarget = dir.Write(".other.jsonl.0123456789ab.tmp", "{\"half");
        string notOurs = dir.Write(".out.jsonl.backup.tmp", "keep");
        using (JsonlWriter writer = JsonlWriter.Open(target, FileWriteMode.Overwrite))
        {
            Assert.False(File.Exists(abandoned));
            writer.WriteRecord(1);
            writer.Commit();
        }
        Assert.True(File.Exists(otherTarget));
        Assert.True(File.Exists(notOurs));
        Assert.Equal("1\n", File.ReadAllText(target));
    }

    [Fact]
    public void A_temporary_file_a_live_writer_holds_is_left_alone()
    {
        using var dir = new TempDirectory();
        string target = dir.File("out.jsonl");
        using JsonlWriter first = JsonlWriter.Open(target, FileWriteMode.Overwrite);
        first.WriteRecord("first");
        using (JsonlWriter second = JsonlWriter.Open(target, FileWriteMode.Overwrite))
        {
            second.WriteRecord("second");
            second.Commit();
        }
        first.Commit(); // its temporary file survived the second writer's clean-up
        Assert.Equal("\"first\"\n", File.ReadAllText(target));
        Assert.Equal(new[] { target }, Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void Force_replaces_a_read_only_target_through_the_writer()
    {
        using var dir = new TempDirectory();
        string target = dir.Write("results.csv", "old");
        new FileInfo(target).IsReadOnly = true;
        try
        {
            using (AtomicFileWriter writer = AtomicFileWriter.Open(target, FileWriteMode.Overwrite, force: true))
            {
                writer.Stream.Write(new byte[] { 1, 2, 3 }, 0, 3);
                writer.Commit();
            }
            Assert.Equal(new byte[] { 1, 2, 3 }, File.ReadAllBytes(target));
        }
        finally
        {
            new FileInfo(target).IsReadOnly = false;
        }
    }

    [Fact]
    public void A_split_killed_between_its_two_renames_is_finished_by_the_next_split_of_the_pair()
    {
        using var dir = new TempDirectory();
        string input = dir.Write("qa.jsonl", string.Concat(Enumerable.Range(0, 20).Select(i => "{\"n\":" + i + "}\n")));
        (string training, string validation) = DatasetSplitter.OutputPaths(input);
        File.WriteAllText(training, "old training\n");
        File.WriteAllText(validation, "old validation\n");

        // What a kill between the two renames leaves: the journal, the first rename done, the
        // second output complete in its temporary file.
        string validationTemp = dir.Write(".qa.validation.jsonl.0123456789ab.tmp", "\"new validation\"\n");
        string trainingTemp = dir.File(".qa.train.jsonl.ba9876543210.tmp");
        PairJournal.Write(dir.File(".qa.train.jsonl.pair"), new[] { (trainingTemp, training), (validationTemp, validation) });
        File.WriteAllText(training, "\"new training\"\n");
        Assert.Equal("old validation\n", File.ReadAllText(validation)); // the broken pair

        // The next split repairs the pair first, even though it then fails itself.
        File.WriteAllText(input, "{\"n\":1}\n");
        Assert.Equal("FineTune.Dataset.TooFewToSplit", Assert.Throws<FineTuneException>(() => DatasetSplitter.Split(input, 0.1, null, 7)).ErrorId);
        Assert.Equal("\"new training\"\n", File.ReadAllText(training));
        Assert.Equal("\"new validation\"\n", File.ReadAllText(validation));
        Assert.False(File.Exists(validationTemp));
        Assert.Equal(new[] { input, training, validation }.OrderBy(p => p), Directory.GetFiles(dir.Path).OrderBy(p => p));
    }

    [Fact]
    public void A_split_replaces_both_files_and_leaves_no_journal()
    {
        using var dir = new TempDirectory();
        string input = dir.Write("qa.jsonl", string.Concat(Enumerable.Range(0, 20).Select(i => "{\"n\":" + i + "}\n")));
        (string training, string validation) = DatasetSplitter.OutputPaths(input);
        File.WriteAllText(training, "old\n");
        File.WriteAllText(validation, "old\n");
        DatasetSplit split = DatasetSplitter.Split(input, 0.25, null, 3);
        Assert.Equal(15, File.ReadAllLines(training).Length);
        Assert.Equal(5, File.ReadAllLines(validation).Length);
        Assert.Equal((15L, 5L), (split.TrainingCount, split.ValidationCount));
        Assert.Equal(new[] { input, training, validation }.OrderBy(p => p), Directory.GetFiles(dir.Path).OrderBy(p => p));
    }

    [Fact]
    public void A_journal_only_ever_renames_a_targets_own_temporary_file()
    {
        using var dir = new TempDirectory();
        string training = dir.Write("qa.train.jsonl", "training\n");
        string elsewhere = dir.Write("precious.txt", "precious\n");
        File.WriteAllText(dir.File(".qa.train.jsonl.pair"), "[{\"from\":\"" + elsewhere.Replace("\\", "\\\\") + "\",\"to\":\"" + training.Replace("\\", "\\\\") + "\"}]");
        Assert.True(AtomicFileWriter.CompleteInterruptedPair(training));
        Assert.Equal("training\n", File.ReadAllText(training));
        Assert.Equal("precious\n", File.ReadAllText(elsewhere));
        Assert.False(File.Exists(dir.File(".qa.train.jsonl.pair")));
    }

    /// <summary>A disk with <c>room</c> bytes left: a write beyond it writes what fits, then fails with ENOSPC.</summary>
    private sealed class FullDisk : Stream
    {
        private readonly Stream _file;
        private long _room;

        public FullDisk(Stream file, long room)
        {
            _file = file;
            _room = room;
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            int fits = (int)Math.Min(count, _room);
            _file.Write(buffer, offset, fits);
            _room -= fits;
            if (fits < count)
            {
                throw new IOException("No space left on device : '" + ((FileStream)_file).Name + "'", NoSpaceLeft);
            }
        }

        public override void Flush() => _file.Flush();
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _file.Length;
        public override long Position { get => _file.Position; set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
