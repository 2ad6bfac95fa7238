using System.Diagnostics;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Peers;

/// <summary>
/// Real sshd hosts in network namespaces on a private bridge (Peers/ssh-targets.sh): target i
/// listens on {net}.{10+i}:22 and accepts the given key for the login "runner". The bridge and the veths
/// are in the host's network namespace, built under a <see cref="HostLock"/> on the subnet and the prefix.
/// </summary>
public sealed class SshTargets : IDisposable
{
    private readonly TempDirectory _base = new();
    private readonly Dictionary<string, string> _environment;
    private readonly HostLock _lock;

    public SshTargets(string net, string prefix, string privateKey, string publicKey, int count = 2)
    {
        Net = net;
        _environment = new() { ["BASE"] = _base.Path, ["BR"] = $"{prefix}br", ["NET"] = net, ["PREFIX"] = prefix, ["LOGIN"] = "runner" };
        File.WriteAllText(Path.Combine(_base.Path, "id_ed25519"), privateKey);
        File.WriteAllText(Path.Combine(_base.Path, "id_ed25519.pub"), publicKey);
        _lock = HostLock.Acquire(TimeSpan.FromMinutes(5), $"net-{net}", $"netns-{prefix}");
        try
        {
            Run("up", count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Net { get; }

    public string Address(int i) => $"{Net}.{10 + i}";

    public void Stop(int i) => Run("kill", i.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private void Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Peers", "ssh-targets.sh"));
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in _environment)
            start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"ssh-targets.sh {string.Join(' ', arguments)} failed ({process.ExitCode}): {output}");
    }

    public void Dispose()
    {
        try
        {
            Run("down");
        }
        finally
        {
            _lock.Dispose();
            _base.Dispose();
        }
    }
}
