using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Runner.Appliance.Engine;

/// <summary>
/// What one ansible-playbook invocation needs: the command line, its environment, and the guard that
/// runs it (the interpreter and ansible/libexec/runner-guard.py).
/// </summary>
public sealed record AnsibleInvocation(string Playbook, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Environment, string WorkingDirectory,
    IReadOnlyList<string> Guard);

/// <summary>
/// The only owner of the ansible-playbook subprocess. It runs under runner-guard.py in its own session
/// and process group (setsid), so that cancelling sends SIGINT to the whole group (modules included),
/// then SIGKILL after the grace period; nothing of it outlives the call, nor the appliance process:
/// the guard kills the group when the pipe on its stdin closes. The exit code is the result.
/// </summary>
public static class AnsibleProcess
{
    private const int Sigint = 2;
    private const int Sigkill = 9;

    /// <summary>Runs to the end; <paramref name="onLine"/> gets each stdout and stderr line as it comes.</summary>
    public static async Task<int> RunAsync(AnsibleInvocation invocation, Func<string, bool, ValueTask> onLine, Action<int> onStarted,
        TimeSpan gracePeriod, CancellationToken cancel)
    {
        var start = new ProcessStartInfo("setsid")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // The guard's lifeline: a pipe this process never writes. .NET opens it close-on-exec, so no
            // other child holds it, and the kernel closes it when this process ends, however it ends.
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = invocation.WorkingDirectory,
        };
        foreach (var part in invocation.Guard)
            start.ArgumentList.Add(part);
        start.ArgumentList.Add(invocation.Playbook);
        foreach (var argument in invocation.Arguments)
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in invocation.Environment)
            start.Environment[name] = value;

        // Disposing the process closes the lifeline too: even an engine error cannot leave the group running.
        using var process = Process.Start(start) ?? throw new InvalidOperationException("ansible-playbook could not be started.");
        // setsid execs in place when its caller is not a group leader: the pid is the group id.
        var group = process.Id;
        onStarted(group);
        var stdout = PumpAsync(process.StandardOutput, false, onLine);
        var stderr = PumpAsync(process.StandardError, true, onLine);
        using (cancel.Register(() => _ = StopAsync(process, group, gracePeriod)))
        {
            await process.WaitForExitAsync(CancellationToken.None);
            await Task.WhenAll(stdout, stderr);
        }
        Signal(group, Sigkill); // whatever the group left behind (normally nothing: ESRCH)
        return process.ExitCode;
    }

    /// <summary>Whether <paramref name="command"/> is an executable path or found on PATH.</summary>
    public static bool IsAvailable(string command) =>
        command.Contains('/', StringComparison.Ordinal)
            ? File.Exists(command)
            : (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Any(dir => File.Exists(Path.Combine(dir, command)));

    /// <summary>Stops a process group left by an appliance that died, if it is still an ansible-playbook.</summary>
    public static bool KillOrphan(int group)
    {
        try
        {
            var cmdline = File.ReadAllText($"/proc/{group}/cmdline");
            if (!cmdline.Contains("ansible-playbook", StringComparison.Ordinal))
                return false;
        }
        catch (IOException)
        {
            return false;
        }
        return Signal(group, Sigkill);
    }

    private static async Task StopAsync(Process process, int group, TimeSpan gracePeriod)
    {
        Signal(group, Sigint);
        using var grace = new CancellationTokenSource(gracePeriod);
        try
        {
            await process.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            Signal(group, Sigkill);
        }
    }

    private static async Task PumpAsync(StreamReader reader, bool isStderr, Func<string, bool, ValueTask> onLine)
    {
        while (await reader.ReadLineAsync() is { } line)
            await onLine(line, isStderr);
    }

    private static bool Signal(int group, int signal) => Kill(-group, signal) == 0;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Kill(int pid, int signal);
}
