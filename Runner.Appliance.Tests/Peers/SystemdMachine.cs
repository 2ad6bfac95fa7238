using System.Globalization;
using System.Net.Sockets;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Peers;

/// <summary>One machine of a <see cref="SystemdMachines"/> set: m{Number} at {Net}.{10+Number}.</summary>
public sealed class SystemdMachine
{
    private readonly SystemdMachines _set;
    private PeerProcess? _launcher;

    internal SystemdMachine(SystemdMachines set, int number) => (_set, Number) = (set, number);

    public int Number { get; }

    /// <summary>Its host name and inventory name: "m1".</summary>
    public string Name => $"m{Number}";

    public string Address => $"{_set.Net}.{10 + Number}";

    /// <summary>Its network namespace (ip netns): "rm0m1".</summary>
    public string Namespace => $"{_set.Prefix}m{Number}";

    /// <summary>Its copy-on-write layer: everything the machine changed in its root fs.</summary>
    public string UpperDirectory => Path.Combine(_set.Directory, Namespace, "upper");

    public bool IsRunning => _launcher is { HasExited: false };

    /// <summary>Its systemd (PID 1 in its namespaces), as this host numbers it; null when it is off.</summary>
    public int? SystemdPid
    {
        get
        {
            if (_launcher is not { HasExited: false } launcher)
                return null;
            var children = File.Exists($"/proc/{launcher.Id}/task/{launcher.Id}/children")
                ? File.ReadAllText($"/proc/{launcher.Id}/task/{launcher.Id}/children") : "";
            return children.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(pid => int.Parse(pid, CultureInfo.InvariantCulture)).Cast<int?>().FirstOrDefault();
        }
    }

    /// <summary>What the machine's launcher and systemd printed (systemd logs to its journal: `journalctl` inside).</summary>
    public string Console => _launcher?.Output ?? "";

    /// <summary>Boots the machine (again: its overlay, hence what was done to it, is kept) and waits until it has
    /// booted (running or degraded) and its sshd accepts.</summary>
    public async Task StartAsync(TimeSpan? within = null)
    {
        if (IsRunning)
            return;
        _launcher?.Dispose();
        var launcher = _launcher = _set.Launch(Number);
        var timeout = within ?? TimeSpan.FromSeconds(90);
        await Eventually.UntilAsync(async () => launcher.Running($"while {Name} booted")
                && (await TryExecAsync("systemctl is-system-running")).Output.Trim() is "running" or "degraded",
            timeout, $"{Name} to boot (systemctl is-system-running: running or degraded)", () => launcher.Output);
        await Eventually.UntilAsync(async () => launcher.Running($"while {Name} started sshd") && await AcceptsAsync(Address, 22),
            timeout, $"sshd of {Name} to accept on {Address}:22", () => launcher.Output);
    }

    /// <summary>Powers the machine off: at once, as pulling the plug (SIGKILL to its PID 1), or with systemd's
    /// poweroff (units stopped in order). Its address then refuses connections: an unreachable host to Ansible.</summary>
    public async Task StopAsync(bool graceful = false)
    {
        await _set.ScriptAsync(TimeSpan.FromMinutes(1), "stop", Number.ToString(CultureInfo.InvariantCulture), graceful ? "graceful" : "kill");
        await ReleaseAsync();
    }

    /// <summary>Runs `sh -c <paramref name="command"/>` inside the machine (its root, namespaces and cgroup, as root, no ssh); throws when it fails.</summary>
    public async Task<string> ExecAsync(string command, TimeSpan? timeout = null)
    {
        var result = await TryExecAsync(command, timeout);
        return result.ExitCode == 0
            ? result.Output
            : throw new InvalidOperationException($"{Name}: `{command}` failed ({result.ExitCode}): {result.Output}{result.Error}");
    }

    public Task<ExecResult> TryExecAsync(string command, TimeSpan? timeout = null) =>
        _set.TryScriptAsync(timeout ?? TimeSpan.FromMinutes(2), "exec", Number.ToString(CultureInfo.InvariantCulture), "/bin/sh", "-c", command);

    /// <summary>Runs a command over ssh as root, as Ansible reaches the machine (key, pinned host key, no ~/.ssh/config).</summary>
    public Task<ExecResult> SshAsync(string command, TimeSpan? timeout = null) =>
        SystemdMachines.RunAsync("ssh", ["-F", "/dev/null", "-i", _set.PrivateKeyPath, "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes",
            "-o", $"UserKnownHostsFile={_set.KnownHostsPath}", "-o", "StrictHostKeyChecking=yes", "-o", "ConnectTimeout=5",
            "-o", "ControlMaster=no", "-o", "ControlPath=none", $"root@{Address}", command], null, timeout ?? TimeSpan.FromMinutes(2));

    /// <summary>After `stop` or `down` has ended the machine: its launcher (the parent of its PID namespace) exits
    /// right after; reaped here. Killed (with what is left of its tree) if it has not.</summary>
    internal async Task ReleaseAsync()
    {
        if (_launcher is not { } launcher)
            return;
        _launcher = null;
        try
        {
            await Eventually.UntilAsync(() => Task.FromResult(launcher.HasExited), TimeSpan.FromSeconds(10), $"the launcher of {Name} to exit", () => launcher.Output);
        }
        finally
        {
            launcher.Dispose();
        }
    }

    private static async Task<bool> AcceptsAsync(string address, int port)
    {
        try
        {
            using var client = new TcpClient();
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await client.ConnectAsync(address, port, deadline.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }
}

/// <summary>A command's exit code and what it printed.</summary>
public sealed record ExecResult(int ExitCode, string Output, string Error);
