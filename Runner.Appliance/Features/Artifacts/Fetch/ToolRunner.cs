using System.ComponentModel;
using System.Diagnostics;

namespace Runner.Appliance.Features.Artifacts.Fetch;

/// <summary>Runs a build tool (skopeo, dpkg-scanpackages, createrepo_c) to completion: both streams read, killed with its children on cancel.</summary>
public static class ToolRunner
{
    /// <summary>The distribution packages that bring each tool, for the "not installed" message.</summary>
    private static readonly Dictionary<string, string> Packages = new(StringComparer.Ordinal)
    {
        ["skopeo"] = "skopeo (Debian and RHEL)",
        ["dpkg-scanpackages"] = "dpkg-dev (Debian)",
        ["createrepo_c"] = "createrepo-c (Debian) or createrepo_c (RHEL)",
        ["gpg"] = "gnupg (Debian) or gnupg2 (RHEL)",
    };

    /// <param name="input">What the tool reads on its standard input (a passphrase: never an argument, which any process can read).</param>
    public static async Task<ToolResult> RunAsync(string program, IEnumerable<string> arguments, string workingDirectory, CancellationToken ct, string? input = null)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new FetchException($"{program} is not installed here (package {Packages.GetValueOrDefault(program, program)}): {e.Message}", e);
        }
        if (input is not null)
            await process.StandardInput.WriteLineAsync(input.AsMemory(), ct);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return new ToolResult(process.ExitCode, await output, await error);
    }
}

public sealed record ToolResult(int ExitCode, string Output, string Error)
{
    /// <summary>The end of what the tool said, for a failure message.</summary>
    public string Tail
    {
        get
        {
            var text = (string.IsNullOrWhiteSpace(Error) ? Output : Error).Trim();
            return text.Length > 2000 ? "…" + text[^2000..] : text;
        }
    }
}
