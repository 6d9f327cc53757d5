using System;
using System.IO;

namespace FineTune.Service.Files;

/// <summary>The MIME type announced for an uploaded file, from its extension.</summary>
internal static class MimeTypes
{
    public static string FromFileName(string fileName) => Path.GetExtension(fileName).ToLowerInvariant() switch
    {
        ".jsonl" => "text/jsonl",
        ".json" => "application/json",
        ".csv" => "text/csv",
        ".txt" => "text/plain",
        ".png" => "image/png",
        ".jpg" or ".jpeg" => "image/jpeg",
        ".webp" => "image/webp",
        ".pdf" => "application/pdf",
        _ => "application/octet-stream",
    };
}
