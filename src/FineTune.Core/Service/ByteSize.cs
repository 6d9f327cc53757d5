using System.Globalization;

namespace FineTune.Service;

/// <summary>A byte count as people read it: 812 bytes, 12.5 KB, 3.2 MB, 1.05 GB.</summary>
public static class ByteSize
{
    public static string Format(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Format(CultureInfo.InvariantCulture, "{0:0.00} GB", bytes / (double)(1L << 30)),
        >= 1L << 20 => string.Format(CultureInfo.InvariantCulture, "{0:0.0} MB", bytes / (double)(1L << 20)),
        >= 1L << 10 => string.Format(CultureInfo.InvariantCulture, "{0:0.0} KB", bytes / 1024.0),
        _ => string.Format(CultureInfo.InvariantCulture, "{0} bytes", bytes),
    };
}
