using System.Text;
using System.Text.Json;

namespace Runner.Appliance.Tests.Engine;

/// <summary>
/// Finds secrets in files, in every form a careless write could give them: as written, JSON-escaped,
/// each line of a multi-line one (keys), and each of those in base64 and base64url, in all three
/// alignments (a secret inside a longer encoded text starts at byte 0, 1 or 2 of a 3-byte group).
/// </summary>
internal static class SecretScan
{
    /// <summary>"file: form" for each file under <paramref name="directory"/> that holds a form of a secret.</summary>
    public static List<string> FilesContaining(string directory, IEnumerable<string> secrets)
    {
        var forms = Forms(secrets);
        var found = new List<string>();
        foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
        {
            byte[] content;
            try
            {
                content = File.ReadAllBytes(file);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                continue; // a log rolled or a journal ended while the scan ran
            }
            found.AddRange(forms.Where(f => content.AsSpan().IndexOf(f.Bytes) >= 0).Select(f => $"{Path.GetRelativePath(directory, file)}: {f.Name}"));
        }
        return found;
    }

    internal static List<(string Name, byte[] Bytes)> Forms(IEnumerable<string> secrets)
    {
        var plain = new HashSet<string>(StringComparer.Ordinal);
        foreach (var secret in secrets)
        {
            plain.Add(secret);
            plain.Add(JsonSerializer.Serialize(secret)[1..^1]);
            foreach (var line in secret.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                if (line.Length >= 12 && !line.StartsWith("-----", StringComparison.Ordinal)) // PEM armour is no secret
                    plain.Add(line);
        }
        var forms = new List<(string, byte[])>();
        foreach (var text in plain)
        {
            var label = text.Length > 16 ? text[..16] + "…" : text;
            forms.Add(($"'{label}'", Encoding.UTF8.GetBytes(text)));
            for (var offset = 0; offset < 3; offset++)
            {
                var base64 = Base64Inside(Encoding.UTF8.GetBytes(text), offset);
                forms.Add(($"'{label}' in base64 at offset {offset}", Encoding.ASCII.GetBytes(base64)));
                forms.Add(($"'{label}' in base64url at offset {offset}", Encoding.ASCII.GetBytes(base64.Replace('+', '-').Replace('/', '_'))));
            }
        }
        return forms;
    }

    /// <summary>The characters that encode <paramref name="bytes"/> alone when they follow <paramref name="offset"/> other bytes.</summary>
    private static string Base64Inside(byte[] bytes, int offset)
    {
        var encoded = Convert.ToBase64String([.. new byte[offset], .. bytes]);
        // Characters mixing bits of the bytes before or after depend on them: only whole ones count.
        var first = offset switch { 0 => 0, 1 => 2, _ => 3 };
        var last = (offset + bytes.Length) * 8 / 6;
        return encoded[first..last];
    }
}
