using System.Diagnostics;
using System.Globalization;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Peers;

/// <summary>
/// Throw-away Debian 12 machines with their own root filesystem and systemd (Peers/machines.sh), to converge
/// roles for real: each is a copy-on-write overlay on a root fs built once with debootstrap and cached under
/// <see cref="Cache"/>, booted with systemd as PID 1 of its own PID/mount/UTS/IPC/cgroup namespaces and with a
/// network namespace of its own on a private bridge; ssh as root with a generated key; no route out. Machine i
/// is "m{i}" at {<see cref="Net"/>}.{10+i}; this host is <see cref="Gateway"/> on the bridge, where a test
/// serves what the machines fetch (an HTTP server bound there is reachable from them, nothing else of the host
/// is). Each instance takes the first free set of names under <see cref="HostLock"/>: subnet 10.202.{n}.0/24,
/// bridge rm{n}br, namespaces rm{n}m{i}, veths rm{n}v{i}, nftables table runner_machines_rm{n}, cgroup
/// runner-machines/rm{n}m{i}; so several test classes (and test runs) hold machines at once, and what a dead run
/// left under the same names is removed first.
/// </summary>
public sealed class SystemdMachines : IAsyncDisposable
{
    /// <summary>Where the root fs is built (once per package list, under a host-wide lock) and kept.</summary>
    public const string Cache = "/var/tmp/runner-appliance-machines";

    public const string Suite = "bookworm";

    /// <summary>The last usable set number: 10.202.0.0/24 … 10.202.99.0/24.</summary>
    private const int Sets = 100;

    private static readonly string Script = Path.Combine(AppContext.BaseDirectory, "Peers", "machines.sh");
    private readonly HostLock _names;
    private readonly TempDirectory _base = new();
    private readonly Dictionary<string, string> _environment;
    private readonly List<SystemdMachine> _machines = [];
    private int _disposed;

    private SystemdMachines(int set, HostLock names)
    {
        _names = names;
        Prefix = $"rm{set}";
        Net = $"10.202.{set}";
        _environment = new() { ["CACHE"] = Cache, ["BASE"] = _base.Path, ["PREFIX"] = Prefix, ["NET"] = Net, ["SUITE"] = Suite };
    }

    /// <summary>Builds the root fs when this package list has none yet (minutes, once), then boots
    /// <paramref name="count"/> machines and returns when each is booted (`systemctl is-system-running`:
    /// running or degraded) and its sshd accepts.</summary>
    public static async Task<SystemdMachines> StartAsync(int count = 2, TimeSpan? bootWithin = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, 50);
        var set = Enumerable.Range(0, Sets)
            .Select(n => (n, names: HostLock.TryAcquire($"net-10.202.{n}", $"netns-rm{n}", $"link-rm{n}br")))
            .FirstOrDefault(s => s.names is not null);
        if (set.names is null)
            throw new InvalidOperationException($"All {Sets} sets of machine names (10.202.0-{Sets - 1}.0/24) are held on this host.");
        var machines = new SystemdMachines(set.n, set.names);
        try
        {
            // The lock covers the overlays' mounting too: a build of another package list removes every
            // other root fs that no overlay uses.
            using (await Task.Run(() => HostLock.Acquire(TimeSpan.FromMinutes(20), $"machines-rootfs-{Suite}")))
            {
                var build = Stopwatch.StartNew();
                var built = await machines.ScriptAsync(TimeSpan.FromMinutes(20), "build");
                if (built.Contains("built ", StringComparison.Ordinal))
                    machines.RootFsBuildTime = build.Elapsed;
                await machines.ScriptAsync(TimeSpan.FromMinutes(1), "prepare", count.ToString(CultureInfo.InvariantCulture));
            }
            for (var i = 1; i <= count; i++)
                machines._machines.Add(new SystemdMachine(machines, i));
            var boot = Stopwatch.StartNew();
            await Task.WhenAll(machines._machines.Select(m => m.StartAsync(bootWithin)));
            machines.BootTime = boot.Elapsed;
            return machines;
        }
        catch
        {
            await machines.DisposeAsync();
            throw;
        }
    }

    /// <summary>The name prefix of this set: namespaces {Prefix}m{i}, veths {Prefix}v{i}, bridge {Prefix}br.</summary>
    public string Prefix { get; }

    /// <summary>The first three octets of the set's /24: "10.202.0".</summary>
    public string Net { get; }

    /// <summary>This host's address on the bridge: the machines' default gateway, and the one host address they reach.</summary>
    public string Gateway => $"{Net}.1";

    public string Bridge => $"{Prefix}br";

    /// <summary>The set's private directory: keys, known_hosts, the inventory, each machine's overlay.</summary>
    public string Directory => _base.Path;

    public string PrivateKeyPath => Path.Combine(Directory, "id_ed25519");

    /// <summary>The machines' ssh host keys (generated per machine before it boots), pinned.</summary>
    public string KnownHostsPath => Path.Combine(Directory, "known_hosts");

    /// <summary>A JSON inventory for `ansible-playbook -i`: hosts m1..mN, root with the private key, pinned host keys.</summary>
    public string InventoryPath => Path.Combine(Directory, "inventory.json");

    public string Inventory => File.ReadAllText(InventoryPath);

    /// <summary>The root fs the overlays are on (a link to the build of the current package list).</summary>
    public static string RootFs => Path.Combine(Cache, $"rootfs-{Suite}");

    /// <summary>How long this start spent building the root fs; null when it was cached.</summary>
    public TimeSpan? RootFsBuildTime { get; private set; }

    /// <summary>How long the machines took from launch to booted and accepting ssh (all at once).</summary>
    public TimeSpan BootTime { get; private set; }

    public IReadOnlyList<SystemdMachine> Machines => _machines;

    /// <summary>Machine m{i+1}.</summary>
    public SystemdMachine this[int index] => _machines[index];

    /// <summary>What an ansible-playbook run against these machines needs in its environment (private control
    /// sockets and local temp dir, pipelining, a bad inventory fails).</summary>
    public IReadOnlyDictionary<string, string> AnsibleEnvironment => new Dictionary<string, string>
    {
        ["ANSIBLE_SSH_CONTROL_PATH_DIR"] = Path.Combine(Directory, "cp"),
        ["ANSIBLE_LOCAL_TEMP"] = Path.Combine(Directory, "ansible-tmp"),
        ["ANSIBLE_PIPELINING"] = "True",
        ["ANSIBLE_INVENTORY_UNPARSED_FAILED"] = "True",
        ["ANSIBLE_RETRY_FILES_ENABLED"] = "False",
        ["ANSIBLE_NOCOLOR"] = "1",
    };

    /// <summary>Runs ansible-playbook (the host's) with this set's inventory and <see cref="AnsibleEnvironment"/>.</summary>
    public Task<ExecResult> PlaybookAsync(string playbook, params string[] arguments) =>
        RunAsync("ansible-playbook", ["-i", InventoryPath, playbook, .. arguments], AnsibleEnvironment, TimeSpan.FromMinutes(10), Directory);

    /// <summary>Powers every machine off, unmounts, deletes the set's links, namespaces, cgroups, rules and directory.</summary>
    public async ValueTask DisposeAsync()
    {
        // Once: after the first, the names are another set's to take.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        try
        {
            await ScriptAsync(TimeSpan.FromMinutes(1), "down");
        }
        finally
        {
            try
            {
                foreach (var machine in _machines)
                    await machine.ReleaseAsync();
            }
            finally
            {
                // Never recurse into an overlay that is still mounted (the names' next holder removes it).
                if (!(await File.ReadAllTextAsync("/proc/self/mountinfo")).Contains(Directory + "/", StringComparison.Ordinal))
                    _base.Dispose();
                _names.Dispose();
            }
        }
    }

    internal async Task<string> ScriptAsync(TimeSpan timeout, params string[] arguments)
    {
        var result = await TryScriptAsync(timeout, arguments);
        return result.ExitCode == 0
            ? result.Output
            : throw new InvalidOperationException($"machines.sh {string.Join(' ', arguments)} failed ({result.ExitCode}): {result.Output}{result.Error}");
    }

    internal Task<ExecResult> TryScriptAsync(TimeSpan timeout, params string[] arguments) =>
        RunAsync("bash", [Script, .. arguments], _environment, timeout);

    internal PeerProcess Launch(int number) =>
        new("bash", [Script, "boot", number.ToString(CultureInfo.InvariantCulture)], _environment);

    /// <summary>Runs a program to completion (killed with its children past <paramref name="timeout"/>).</summary>
    public static async Task<ExecResult> RunAsync(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment,
        TimeSpan timeout, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', start.ArgumentList)} ran for more than {timeout.TotalSeconds:0} s: {await output}{await error}");
        }
        return new ExecResult(process.ExitCode, await output, await error);
    }
}
