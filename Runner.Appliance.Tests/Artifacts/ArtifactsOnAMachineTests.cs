using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Runner.Appliance.Features.Artifacts;
using Runner.Appliance.Features.Artifacts.Fetch;
using Runner.Appliance.Tests.Infrastructure;
using Runner.Appliance.Tests.Peers;
using Xunit.Abstractions;

namespace Runner.Appliance.Tests.Artifacts;

/// <summary>
/// The whole way of an artifact, with real tools only: a build machine fetches from its upstream on loopback
/// (a distribution registry holding a test image; an HTTP server with a test-built package and this host's
/// own docker-registry package, repacked from the distribution's installed files), the appliance imports the
/// tree and serves it on the bridge of a Debian machine with no route out; Ansible on that machine installs
/// both packages with apt from the served repository (the URL from <c>runner_artifacts</c>, never built by
/// hand) and starts the registry under systemd; the appliance copies the image from its store into that
/// registry with skopeo, as the registry role will, and <c>skopeo inspect</c> finds it with the lock's digest.
/// </summary>
public sealed class ArtifactsOnAMachineTests(FetchBed upstream, ITestOutputHelper output) : IClassFixture<FetchBed>
{
    private const string RegistryDebPath = "/debian/pool/main/d/docker-registry/";

    [Fact]
    public async Task AMachine_InstallsFromTheServedRepository_AndTheImageReachesARegistryOnTheTestNetwork()
    {
        await using var machines = await SystemdMachines.StartAsync(1);
        var machine = machines[0];
        using var work = new TempDirectory();
        var (registryDeb, registryVersion) = await RepackRegistryAsync(work.Path);
        await using var debs = await ArtifactServer.StartAsync();
        debs.Serve(RegistryDebPath + Path.GetFileName(registryDeb), await File.ReadAllBytesAsync(registryDeb));

        var port = PeerProcess.FreePort();
        var publicUrl = $"http://{machines.Gateway}:{port}/artifacts";
        await using var bed = ArtifactBed.Create(new Dictionary<string, string?> { ["Appliance:Artifacts:PublicUrl"] = publicUrl },
            listen: new IPEndPoint(IPAddress.Parse(machines.Gateway), port));
        var lockText = Lock(registryDeb, registryVersion, debs);
        await bed.StartAsync(["site-debian", "hello"], editLock: _ => lockText);

        // The build machine's side: the fetch verb's work, into the tree the site then imports.
        var lockPath = Path.Combine(work.Path, ArtifactLock.FileName);
        await File.WriteAllTextAsync(lockPath, lockText);
        var (failures, _, fetchOutput) = await FetchBed.FetchAsync(upstream.Options(lockPath, bed.Tree.Root));
        Assert.True(failures.Count == 0, fetchOutput);
        ArtifactBed.AssertCompleted(await bed.ImportAsync());
        var artifacts = await bed.ArtifactsAsync();
        Assert.Equal(["Present", "Present"], new[] { "site-debian", "hello" }.Select(a => ArtifactBed.Status(artifacts, a)));

        var vars = await bed.Host.Services.GetRequiredService<ArtifactRunVars>().BuildAsync();
        Assert.Equal($"{publicUrl}/repos/site-debian/", vars["site-debian"]!["url"]!.GetValue<string>());
        var varsFile = Path.Combine(work.Path, "vars.json");
        await File.WriteAllTextAsync(varsFile, new JsonObject { ["runner_artifacts"] = vars }.ToJsonString());
        var playbook = Path.Combine(work.Path, "install.yml");
        await File.WriteAllTextAsync(playbook, """
            - name: Install from the appliance, the machine's only source
              hosts: all
              gather_facts: false
              tasks:
                - name: A place for the key
                  ansible.builtin.file: { path: /etc/apt/keyrings, state: directory, mode: "0755" }
                - name: The key the appliance signs its repositories with
                  ansible.builtin.get_url:
                    url: "{{ runner_artifacts['site-debian'].key_url }}"
                    dest: /etc/apt/keyrings/runner-appliance.asc
                    mode: "0644"
                - name: The appliance's repository is the one apt knows, signed by that key only
                  ansible.builtin.copy:
                    dest: /etc/apt/sources.list.d/runner-appliance.list
                    content: "deb [signed-by=/etc/apt/keyrings/runner-appliance.asc] {{ runner_artifacts['site-debian'].url }} ./\n"
                    mode: "0644"
                - name: Both packages, from there
                  ansible.builtin.apt: { name: [runner-hello, docker-registry], update_cache: true }
                - name: The registry's configuration (the package's asks for a password file)
                  ansible.builtin.copy:
                    dest: /etc/docker/registry/config.yml
                    mode: "0644"
                    content: |
                      version: 0.1
                      storage: { filesystem: { rootdirectory: /var/lib/docker-registry } }
                      http: { addr: ":5000" }
                  register: registry_config
                - name: The registry runs with it
                  ansible.builtin.systemd:
                    name: docker-registry
                    enabled: true
                    state: "{{ 'restarted' if registry_config.changed else 'started' }}"
            """);

        var converge = await machines.PlaybookAsync(playbook, "-e", "@" + varsFile);
        Assert.True(converge.ExitCode == 0, converge.Output + converge.Error);
        Assert.Equal("1.0-1", await machine.ExecAsync("dpkg-query -W -f '${Version}' runner-hello"));
        Assert.Equal(registryVersion, await machine.ExecAsync("dpkg-query -W -f '${Version}' docker-registry"));
        // apt took them from the appliance: the only origin it lists is the served repository.
        var policy = await machine.ExecAsync("apt-cache policy docker-registry");
        Assert.Contains($"{publicUrl}/repos/site-debian ./ Packages", policy, StringComparison.Ordinal);
        Assert.Equal("active\n", await machine.ExecAsync("systemctl is-active docker-registry"));
        // The index apt trusted is the appliance's: an InRelease changed on the way (here, in the store) is refused.
        var inRelease = Path.Combine(bed.StorePath, "repos", "site-debian", "InRelease");
        var signed = await File.ReadAllTextAsync(inRelease);
        await File.WriteAllTextAsync(inRelease, signed.Replace("Origin: Runner Appliance", "Origin: Runner Appliancf", StringComparison.Ordinal));
        var tampered = await machine.TryExecAsync("rm -rf /var/lib/apt/lists/* && apt-get update");
        Assert.Contains("BADSIG", tampered.Output + tampered.Error, StringComparison.Ordinal);
        Assert.DoesNotContain($"{publicUrl}/repos/site-debian", await machine.ExecAsync("apt-cache policy docker-registry"), StringComparison.Ordinal);
        await File.WriteAllTextAsync(inRelease, signed);
        // From a clean list: apt would otherwise ask for InRelease conditionally, and the restored file has the tampered one's
        // size and second of modification, hence its validators (a 304 would hand apt back the copy it refused).
        Assert.Equal(0, (await machine.TryExecAsync("rm -rf /var/lib/apt/lists/* && apt-get update")).ExitCode);
        Assert.Contains($"{publicUrl}/repos/site-debian ./ Packages", await machine.ExecAsync("apt-cache policy docker-registry"), StringComparison.Ordinal);
        var registry = $"{machine.Address}:5000";
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await Eventually.UntilAsync(async () => await AnswersAsync(http, new Uri($"http://{registry}/v2/")), TimeSpan.FromSeconds(30), $"the registry on {machine.Name} to answer /v2/");

        // The registry role's step, run here as the appliance runs it: from the store's OCI layout (runner_artifacts.hello.path).
        var layout = vars["hello"]!["path"]!.GetValue<string>().TrimEnd('/');
        Assert.StartsWith(bed.StorePath, layout, StringComparison.Ordinal);
        var copy = await Skopeo("copy", "--dest-tls-verify=false", $"oci:{layout}:1.0", $"docker://{registry}/test/hello:1.0");
        Assert.True(copy.ExitCode == 0, copy.Output + copy.Error);
        var inspect = await Skopeo("inspect", "--tls-verify=false", $"docker://{registry}/test/hello:1.0");
        Assert.True(inspect.ExitCode == 0, inspect.Error);
        using var found = JsonDocument.Parse(inspect.Output);
        Assert.Equal($"sha256:{upstream.ImageDigest}", found.RootElement.GetProperty("Digest").GetString());
        Assert.Equal(upstream.ImageDigest, vars["hello"]!["sha256"]!.GetValue<string>());
        // The registry keeps it on the machine's disk, not the host's.
        Assert.Contains("hello", await machine.ExecAsync("ls /var/lib/docker-registry/docker/registry/v2/repositories/test"), StringComparison.Ordinal);
        output.WriteLine($"repository served at {vars["site-debian"]!["url"]}; image {found.RootElement.GetProperty("Digest")} in {registry}");
    }

    /// <summary>This host's docker-registry (a test prerequisite), rebuilt as a .deb from its installed files; gzip -1 to be quick.</summary>
    private static async Task<(string Deb, string Version)> RepackRegistryAsync(string directory)
    {
        var version = PeerProcess.Run("dpkg-query", ["-W", "-f", "${Version}", "docker-registry"]).Trim();
        var repacked = Path.Combine(directory, "repack");
        Directory.CreateDirectory(repacked);
        var repack = await SystemdMachines.RunAsync("dpkg-repack", ["--deb-option=-Zgzip", "--deb-option=-z1", "docker-registry"], null, TimeSpan.FromMinutes(2), repacked);
        Assert.True(repack.ExitCode == 0, repack.Output + repack.Error);
        return (Directory.GetFiles(repacked, "*.deb").Single(), version);
    }

    private static async Task<bool> AnswersAsync(HttpClient http, Uri url)
    {
        try
        {
            return (await http.GetAsync(url)).StatusCode == HttpStatusCode.OK;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private string Lock(string registryDeb, string registryVersion, ArtifactServer debs)
    {
        var registryBytes = new FileInfo(registryDeb).Length;
        return $"""
            version: 1
            artifacts:
              - name: site-debian
                kind: package-repo
                version: "2026-12-01"
                os: debian12
                size: {upstream.Deb.Length + registryBytes}
                source:
                  packages:
                    - name: runner-hello
                      version: 1.0-1
                      arch: all
                      url: {upstream.Server.UrlOf(FetchBed.DebPath)}
                      sha256: {TestArtifacts.Sha256(upstream.Deb)}
                      size: {upstream.Deb.Length}
                    - name: docker-registry
                      version: "{registryVersion}"
                      arch: amd64
                      url: {debs.UrlOf(RegistryDebPath + Path.GetFileName(registryDeb))}
                      sha256: {TestArtifacts.Sha256(registryDeb)}
                      size: {registryBytes.ToString(CultureInfo.InvariantCulture)}
              - name: hello
                kind: image
                version: "1.0"
                sha256: {upstream.ImageDigest}
                size: {upstream.ImageSize}
                source:
                  image: {upstream.Registry.Host}/{FetchBed.ImageRepository}:1.0

            """;
    }

    private static Task<ExecResult> Skopeo(params string[] arguments) =>
        SystemdMachines.RunAsync("skopeo", arguments, null, TimeSpan.FromMinutes(2));
}
