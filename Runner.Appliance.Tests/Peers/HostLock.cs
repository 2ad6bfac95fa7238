using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Peers;

/// <summary>
/// A machine-wide lock on fixed names a peer takes on the host: a subnet, a bridge or namespace prefix, a
/// loopback address. Test classes of one run use names of their own; the lock keeps anything else on the
/// machine that uses the same names (another checkout's test run, a bench) from building the same bridge or
/// binding the same address at the same time, and it serialises the users of one name within a run. An
/// exclusive flock per name under /run/lock: the kernel drops it when its holder exits, even killed, so a
/// run that died leaves leftovers (which the next holder removes) but never a stale lock.
/// </summary>
public sealed class HostLock : IDisposable
{
    private const string Directory = "/run/lock/runner-appliance-tests";
    private readonly List<FileStream> _held;

    private HostLock(List<FileStream> held) => _held = held;

    /// <summary>Takes every name (in one global order, so that two holders never wait on each other).</summary>
    public static HostLock Acquire(TimeSpan within, params string[] names)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var held = new List<FileStream>();
        try
        {
            foreach (var name in names.Distinct().Order(StringComparer.Ordinal))
            {
                FileStream? file = null;
                Eventually.Until(() => (file = TryTake(name)) is not null, within,
                    $"the host-wide lock '{name}' (another test or test run on this machine uses it)");
                held.Add(file!);
            }
            return new HostLock(held);
        }
        catch
        {
            held.ForEach(f => f.Dispose());
            throw;
        }
    }

    /// <summary>
    /// Takes every name at once, or none and returns null when any is held: for a peer that picks the first
    /// free one of several numbered names (<see cref="SystemdMachines"/>) instead of waiting for one.
    /// </summary>
    public static HostLock? TryAcquire(params string[] names)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var held = new List<FileStream>();
        foreach (var name in names.Distinct().Order(StringComparer.Ordinal))
        {
            if (TryTake(name) is not { } file)
            {
                held.ForEach(f => f.Dispose());
                return null;
            }
            held.Add(file);
        }
        return new HostLock(held);
    }

    private static FileStream? TryTake(string name)
    {
        try
        {
            // On Linux, FileShare.None is an exclusive, non-blocking flock on the open file.
            return new FileStream(Path.Combine(Directory, name + ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }

    public void Dispose() => _held.ForEach(f => f.Dispose());
}
