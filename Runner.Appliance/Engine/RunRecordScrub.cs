using Runner.Appliance.Security;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Runner.Appliance.Data;

namespace Runner.Appliance.Engine;

/// <summary>One text to replace in run records: the value as written and its JSON-escaped form are both found.</summary>
public sealed record Scrub(string Find, string Replacement);

/// <summary>
/// Rewrites what earlier runs recorded (configuration snapshots, vars, events, and the vars.json
/// left in their workspaces) when a secret turns out to have been recorded in clear, as the proxy
/// password was while it lived inside the proxy URL. Idempotent: what it replaced is gone.
/// </summary>
public static class RunRecordScrub
{
    /// <summary>Replaces in the workspaces' vars.json files; returns how many files changed.</summary>
    public static int ReplaceInWorkspaces(string runsRoot, IReadOnlyList<Scrub> scrubs)
    {
        if (!Directory.Exists(runsRoot))
            return 0;
        var changed = 0;
        foreach (var path in Directory.EnumerateFiles(runsRoot, "vars.json", SearchOption.AllDirectories))
        {
            var text = File.ReadAllText(path);
            var scrubbed = Apply(text, scrubs);
            if (scrubbed == text)
                continue;
            File.WriteAllText(path, scrubbed);
            changed++;
        }
        return changed;
    }

    /// <summary>Replaces in the stored runs, inside <paramref name="db"/>'s transaction; returns how many rows changed.</summary>
    public static async Task<int> ReplaceInStoreAsync(ApplianceDb db, IReadOnlyList<Scrub> scrubs, CancellationToken ct)
    {
        var changed = 0;
        foreach (var (find, replacement) in Forms(scrubs))
        {
            // SQLite's instr and replace: one statement per table, no row loaded.
            changed += await db.DeploymentRuns.Where(r => r.ConfigurationSnapshot.Contains(find))
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.ConfigurationSnapshot, r => r.ConfigurationSnapshot.Replace(find, replacement)), ct);
            changed += await db.RoleRuns.Where(r => r.VarsJson != null && r.VarsJson.Contains(find))
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.VarsJson, r => r.VarsJson!.Replace(find, replacement)), ct);
            changed += await db.RunEvents.Where(e => e.Text.Contains(find) || e.Json.Contains(find))
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.Text, e => e.Text.Replace(find, replacement)).SetProperty(e => e.Json, e => e.Json.Replace(find, replacement)), ct);
        }
        return changed;
    }

    private static string Apply(string text, IReadOnlyList<Scrub> scrubs)
    {
        foreach (var (find, replacement) in Forms(scrubs))
            text = text.Replace(find, replacement, StringComparison.Ordinal);
        return text;
    }

    // In the order given (a whole URL before the password inside it), each as written then JSON-escaped.
    private static IEnumerable<(string Find, string Replacement)> Forms(IReadOnlyList<Scrub> scrubs)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var scrub in scrubs)
            foreach (var form in new[] { (scrub.Find, scrub.Replacement), (Escaped(scrub.Find), Escaped(scrub.Replacement)) })
                if (form.Item1.Length >= SecretMasker.MinimumLength && seen.Add(form.Item1))
                    yield return form;
    }

    private static string Escaped(string text) => JsonSerializer.Serialize(text)[1..^1];
}
