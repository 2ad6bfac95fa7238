using System.Globalization;
using Runner.Appliance.Tests.Artifacts;
using Runner.Appliance.Tests.Peers;

// Not "…Tests.Roles": that would hide Runner.Appliance.Security.Roles from the other tests; "DeploymentRoles" keeps the filter ~Roles.
namespace Runner.Appliance.Tests.DeploymentRoles;

/// <summary>One package of the test repository: a .deb rebuilt from this host's installed files.</summary>
public sealed record RepackedDeb(string Name, string Version, string Arch, string Path, string Sha256, long Size)
{
    public string FileName => System.IO.Path.GetFileName(Path);
}

/// <summary>
/// What a role installs on the machines, as the site's repository would hold it: this host's installed
/// packages (test.sh installs them) rebuilt with dpkg-repack, with every package they need that the
/// machines' root fs lacks, exactly as apt resolves it against that root fs's dpkg status. Rebuilt once per
/// package version and kept under the machines' cache (the repack of perl alone takes seconds).
/// </summary>
public static class MachinePackages
{
    private static readonly string CacheDirectory = System.IO.Path.Combine(SystemdMachines.Cache, "repacked");

    /// <summary><paramref name="packages"/> and what they need beyond the machines' root fs (which must be built).</summary>
    public static async Task<IReadOnlyList<RepackedDeb>> RepackAsync(params string[] packages)
    {
        var status = System.IO.Path.Combine(SystemdMachines.RootFs, "var", "lib", "dpkg", "status");
        var simulated = await SystemdMachines.RunAsync("apt-get",
            ["-s", "-o", $"Dir::State::status={status}", "-o", "APT::Install-Recommends=false", "install", .. packages], null, TimeSpan.FromMinutes(1));
        Assert.True(simulated.ExitCode == 0, simulated.Output + simulated.Error);
        var needed = simulated.Output.Split('\n').Where(l => l.StartsWith("Inst ", StringComparison.Ordinal)).Select(l => l.Split(' ')[1]).ToList();
        // Already on the root fs (sudo is): apt installs nothing, but the repository still holds it, as a site's would.
        needed.AddRange(packages.Except(needed));
        Directory.CreateDirectory(CacheDirectory);
        using var held = await Task.Run(() => HostLock.Acquire(TimeSpan.FromMinutes(5), "machines-repacked-debs"));
        var debs = new List<RepackedDeb>();
        foreach (var name in needed.Distinct())
            debs.Add(await RepackOneAsync(name));
        return debs;
    }

    private static async Task<RepackedDeb> RepackOneAsync(string name)
    {
        var installed = PeerProcess.Run("dpkg-query", ["-W", "-f", "${Version} ${Architecture}", name]).Trim().Split(' ');
        var (version, arch) = (installed[0], installed[1]);
        var path = System.IO.Path.Combine(CacheDirectory, $"{name}_{version.Replace(":", "%3a", StringComparison.Ordinal)}_{arch}.deb");
        if (!File.Exists(path))
        {
            var work = System.IO.Path.Combine(CacheDirectory, $".{name}.{Environment.ProcessId}");
            Directory.CreateDirectory(work);
            try
            {
                var repack = await SystemdMachines.RunAsync("dpkg-repack", ["--deb-option=-Zgzip", "--deb-option=-z1", name], null, TimeSpan.FromMinutes(3), work);
                Assert.True(repack.ExitCode == 0, $"dpkg-repack {name}: {repack.Output}{repack.Error}");
                File.Move(Directory.GetFiles(work, "*.deb").Single(), path);
            }
            finally
            {
                Directory.Delete(work, recursive: true);
            }
        }
        return new RepackedDeb(name, version, arch, path, TestArtifacts.Sha256(path), new FileInfo(path).Length);
    }

    /// <summary>The lock entry of the test machines' repository (debian12-base) holding <paramref name="debs"/>, served by <paramref name="server"/>.</summary>
    public static string LockEntry(IReadOnlyList<RepackedDeb> debs, ArtifactServer server)
    {
        var packages = debs.Select(d =>
            $"        - {{ name: {d.Name}, version: \"{d.Version}\", arch: {d.Arch}, url: {server.UrlOf(PoolPath(d))}, sha256: {d.Sha256}, size: {d.Size.ToString(CultureInfo.InvariantCulture)} }}");
        return $"""
              - name: debian12-base
                kind: package-repo
                version: "2026-12-02"
                os: debian12
                size: {debs.Sum(d => d.Size).ToString(CultureInfo.InvariantCulture)}
                source:
                  packages:
            {string.Join('\n', packages)}
            """;
    }

    // Named without the version: the test server matches paths as given, and an epoch or a + would need escaping.
    public static string PoolPath(RepackedDeb deb) => $"/debian/pool/{deb.Name}_{deb.Arch}.deb";
}
