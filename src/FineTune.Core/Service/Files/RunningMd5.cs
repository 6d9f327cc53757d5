using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace FineTune.Service.Files;

/// <summary>
/// The md5 of a whole file, computed from the bytes as they are read for upload. A part that
/// is re-sent reads bytes already hashed; only bytes past the hashed prefix are added, so a
/// retry neither corrupts the checksum nor costs a second pass over the file.
/// </summary>
internal sealed class RunningMd5 : IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
    private long _hashedUpTo;

    public long HashedUpTo => _hashedUpTo;

    /// <summary>Bytes read at absolute file position <paramref name="position"/>.</summary>
    public void Observe(long position, byte[] buffer, int offset, int count)
    {
        long end = position + count;
        if (position > _hashedUpTo || end <= _hashedUpTo)
        {
            return;
        }
        int skip = (int)(_hashedUpTo - position);
        _hash.AppendData(buffer, offset + skip, count - skip);
        _hashedUpTo = end;
    }

#if NET8_0_OR_GREATER
    /// <summary>Bytes read at absolute file position <paramref name="position"/>.</summary>
    public void Observe(long position, ReadOnlySpan<byte> bytes)
    {
        long end = position + bytes.Length;
        if (position > _hashedUpTo || end <= _hashedUpTo)
        {
            return;
        }
        _hash.AppendData(bytes.Slice((int)(_hashedUpTo - position)));
        _hashedUpTo = end;
    }

#endif
    /// <summary>Hashes whatever was not read yet (normally nothing) and returns the lowercase hex digest.</summary>
    public async Task<string> FinishAsync(string path, long length, CancellationToken cancellationToken)
    {
        if (_hashedUpTo < length)
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
            stream.Position = _hashedUpTo;
            byte[] buffer = new byte[81920];
            int read;
            while (_hashedUpTo < length && (read = await stream.ReadAsync(buffer, 0, (int)Math.Min(buffer.Length, length - _hashedUpTo), cancellationToken).ConfigureAwait(false)) > 0)
            {
                Observe(_hashedUpTo, buffer, 0, read);
            }
        }
        byte[] digest = _hash.GetHashAndReset();
        var hex = new StringBuilder(digest.Length * 2);
        foreach (byte b in digest)
        {
            hex.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return hex.ToString();
    }

    public void Dispose() => _hash.Dispose();
}
