using System.IO;
using System.Linq;
using System.Text;
using FineTune.Datasets;
using Xunit;

namespace FineTune.Core.Tests.Datasets;

public class AtomicFileWriterTests
{
    [Fact]
    public void Commit_replaces_the_target_and_leaves_no_temp_file()
    {
        using var dir = new TempDirectory();
        string target = dir.Write("out.jsonl", "old\n");
        using (JsonlWriter writer = JsonlWriter.Open(target, FileWriteMode.Overwrite))
        {
            writer.WriteRecord(new[] { 1, 2 });
            Assert.Equal("old\n", File.ReadAllText(target));
            writer.Commit();
        }
        Assert.Equal("[1,2]\n", File.ReadAllText(target));
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void Dispose_without_commit_keeps_the_old_file_and_deletes_the_temp_file()
    {
        using var dir = new TempDirectory();
        string target = dir.Write("out.jsonl", "old\n");
        using (JsonlWriter writer = JsonlWriter.Open(target, FileWriteMode.Overwrite))
        {
            writer.WriteRecord("new");
        }
        Assert.Equal("old\n", File.ReadAllText(target));
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void Dispose_without_commit_creates_nothing()
    {
        using var dir = new TempDirectory();
        using (JsonlWriter writer = JsonlWriter.Open(dir.File("new.jsonl"), FileWriteMode.Overwrite))
        {
            writer.WriteRecord("x");
        }
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void A_failing_record_writes_nothing_of_itself()
    {
        using var dir = new TempDirectory();
        string target = dir.File("out.jsonl");
        using (JsonlWriter writer = JsonlWriter.Open(target, FileWriteMode.Overwrite))
        {
            writer.WriteRecord(1);
            var cyclic = new System.Collections.Generic.List<object>();
            cyclic.Add(cyclic);
            Assert.Throws<FineTuneException>(() => writer.WriteRecord(new object[] { "partial", cyclic }));
            writer.WriteRecord(2);
            writer.Commit();
        }
        Assert.Equal("1\n2\n", File.ReadAllText(target));
    }

    [Fact]
    public void NoClobber_refuses_an_existing_file()
    {
        using var dir = new TempDirectory();
        string target = dir.Write("out.jsonl", "old\n");
        var error = Assert.Throws<FineTuneException>(() => AtomicFileWriter.Open(target, FileWriteMode.NoClobber));
        Assert.Equal("FineTune.File.FileExists", error.ErrorId);
        Assert.Equal("old\n", File.ReadAllText(target));
    }

    [Fact]
    public void NoClobber_fails_at_commit_when_the_file_appeared_meanwhile()
    {
        using var dir = new TempDirectory();
        string target = dir.File("out.jsonl");
        using JsonlWriter writer = JsonlWriter.Open(target, FileWriteMode.NoClobber);
        writer.WriteRecord(1);
        File.WriteAllText(target, "someone else\n");
        Assert.Equal("FineTune.File.FileExists", Assert.Throws<FineTuneException>(() => writer.Commit()).ErrorId);
        Assert.Equal("someone else\n", File.ReadAllText(target));
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void Append_writes_in_place_and_adds_a_missing_line_end()
    {
        using var dir = new TempDirectory();
        string target = dir.Write("out.jsonl", "{\"a\":1}");
        using (JsonlWriter writer = JsonlWriter.Open(target, FileWriteMode.Append))
        {
            writer.WriteRecord(new System.Collections.Generic.Dictionary<string, int> { ["b"] = 2 });
            writer.Commit();
        }
        Assert.Equal("{\"a\":1}\n{\"b\":2}\n", File.ReadAllText(target));
    }

    [Fact]
    public void Output_is_utf8_without_bom_and_lf_only()
    {
        using var dir = new TempDirectory();
        string target = dir.File("out.jsonl");
        using (JsonlWriter writer = JsonlWriter.Open(target, FileWriteMode.Overwrite))
        {
            writer.WriteRecord("é\r\n");
            writer.Commit();
        }
        byte[] bytes = File.ReadAllBytes(target);
        Assert.Equal(Encoding.UTF8.GetBytes("\"é\\r\\n\"\n"), bytes);
        Assert.DoesNotContain((byte)'\r', bytes);
    }

    [Fact]
    public void A_read_only_target_needs_force()
    {
        using var dir = new TempDirectory();
        string target = dir.Write("out.jsonl", "old\n");
        new FileInfo(target).IsReadOnly = true;
        try
        {
            Assert.Equal("FineTune.File.FileReadOnly", Assert.Throws<FineTuneException>(() => AtomicFileWriter.Open(target, FileWriteMode.Overwrite)).ErrorId);
            using (JsonlWriter writer = JsonlWriter.Open(target, FileWriteMode.Overwrite, force: true))
            {
                writer.WriteRecord(1);
                writer.Commit();
            }
            Assert.Equal("1\n", File.ReadAllText(target));
        }
        finally
        {
            new FileInfo(target).IsReadOnly = false;
        }
    }
}
