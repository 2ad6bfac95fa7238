using System.Diagnostics;

namespace Runner.Appliance.Tests.Peers;

/// <summary>
/// A private /24 on a bridge with no port: its .1 is this machine (a gateway that answers) and every other
/// address is silent, so probes of planned VM addresses stay on this machine and get no answer.
/// It is built in the host's network namespace, under a <see cref="HostLock"/> on its subnet and name.
/// </summary>
public sealed class PrivateNetwork : IDisposable
{
    private readonly HostLock _lock;

    public PrivateNetwork(string net, string name)
    {
        (Net, Name) = (net, name);
        _lock = HostLock.Acquire(TimeSpan.FromMinutes(5), $"net-{net}", $"link-{name}");
        try
        {
            // A bridge of this name now is a leftover of a run that died: no live holder of the lock owns it.
            Ip("link", "del", name);
            Run(true, "link", "add", name, "type", "bridge");
            Run(true, "addr", "add", $"{net}.1/24", "dev", name);
            Run(true, "link", "set", name, "up");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Net { get; }

    public string Name { get; }

    public string Gateway => $"{Net}.1";

    public void Dispose()
    {
        Ip("link", "del", Name);
        _lock.Dispose();
    }

    private static void Ip(params string[] arguments) => Run(false, arguments);

    private static void Run(bool check, params string[] arguments)
    {
        var start = new ProcessStartInfo("ip") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (check && process.ExitCode != 0)
            throw new InvalidOperationException($"ip {string.Join(' ', arguments)} failed: {error}");
    }
}
