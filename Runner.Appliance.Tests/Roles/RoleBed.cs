using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Runner.Appliance.Engine;
using Runner.Appliance.Features.Artifacts;
using Runner.Appliance.Features.Artifacts.Fetch;
using Runner.Appliance.Security;
using Runner.Appliance.Tests.Artifacts;
using Runner.Appliance.Tests.Infrastructure;
using Runner.Appliance.Tests.Peers;

// Not "…Tests.Roles": that would hide Runner.Appliance.Security.Roles from the other tests; "DeploymentRoles" keeps the filter ~Roles.
namespace Runner.Appliance.Tests.DeploymentRoles;

/// <summary>
/// What a role test needs, made once per test class: Debian machines with no route out; the packages the
/// role installs as the site's repository would hold them (<see cref="MachinePackages"/>), fetched and
/// imported by a real appliance that serves them on the machines' bridge; that appliance loaded with the
/// demo site (and the security step the test gives), so that the run vars are exactly what the engine writes
/// (<see cref="RunInputsBuilder"/>). <see cref="RunAsync"/> runs the role with the real ansible-playbook
/// through playbooks/run_role.yml, the demo hosts it names pointed at machines.
/// </summary>
public abstract class RoleBed : IAsyncLifetime
{
    private readonly TempDirectory _work = new();
    private ArtifactServer? _debs;
    private int _runs;

    public SystemdMachines Machines { get; private set; } = default!;

    public ArtifactBed Appliance { get; private set; } = default!;

    /// <summary>A build machine's upstream holding the test image (when <see cref="Images"/> names some).</summary>
    public FetchBed? Upstream { get; private set; }

    public RunInputs Inputs { get; private set; } = default!;

    /// <summary>The deployment user's key pair, as the security step holds it.</summary>
    public (string PrivateKey, string PublicKey) DeploymentKey { get; } = KeyFactory.SshKeyPair();

    /// <summary>What the engine would pass as runner_secrets.generated (the engine part is built apart).</summary>
    public Dictionary<string, string> Generated { get; } = [];

    public TimeSpan SetupTime { get; private set; }

    public string WorkDirectory => _work.Path;

    protected abstract int MachineCount { get; }

    /// <summary>The Debian packages the roles under test install.</summary>
    protected abstract string[] Packages { get; }

    /// <summary>Image artifacts the lock pins (all of them the upstream's test image).</summary>
    protected virtual string[] Images => [];

    /// <summary>Fields of the security step besides the deployment user and its key.</summary>
    protected virtual Dictionary<string, object?> Security() => new() { ["tlsMode"] = "InternalCa" };

    public async Task InitializeAsync()
    {
        var clock = Stopwatch.StartNew();
        Machines = await SystemdMachines.StartAsync(MachineCount);
        var debs = await MachinePackages.RepackAsync(Packages);
        _debs = await ArtifactServer.StartAsync();
        foreach (var deb in debs)
            _debs.Serve(MachinePackages.PoolPath(deb), await File.ReadAllBytesAsync(deb.Path));
        if (Images.Length > 0)
        {
            Upstream = new FetchBed();
            await Upstream.InitializeAsync();
        }
        var port = PeerProcess.FreePort();
        Appliance = ArtifactBed.Create(new Dictionary<string, string?> { ["Appliance:Artifacts:PublicUrl"] = $"http://{Machines.Gateway}:{port}/artifacts" },
            listen: new IPEndPoint(IPAddress.Parse(Machines.Gateway), port), keepRoleNeeds: true);
        var lockText = Lock(debs);
        await Appliance.StartAsync(editLock: _ => lockText);
        await ConfigureAsync();

        var lockPath = Path.Combine(_work.Path, ArtifactLock.FileName);
        await File.WriteAllTextAsync(lockPath, lockText);
        var options = new FetchOptions(lockPath, Appliance.Tree.Root, ["debian12-base", .. Images], Upstream is null ? [] : [Upstream.Registry.Host])
            { ProgressInterval = TimeSpan.FromSeconds(5) };
        var (failures, _, fetchOutput) = await FetchBed.FetchAsync(options);
        Assert.True(failures.Count == 0, fetchOutput);
        ArtifactBed.AssertCompleted(await Appliance.ImportAsync());
        using (var scope = Appliance.Host.Services.CreateScope())
            Inputs = await scope.ServiceProvider.GetRequiredService<RunInputsBuilder>().BuildAsync();
        SetupTime = clock.Elapsed;
    }

    /// <summary>The demo site, with this test's security step (the demo leaves its secrets to be typed).</summary>
    private async Task ConfigureAsync()
    {
        var admin = Appliance.Admin;
        using (var demo = await admin.PostAsync("/api/v1/answer-file/demo", null))
            Assert.True(demo.IsSuccessStatusCode, await demo.Content.ReadAsStringAsync());
        var current = await admin.GetFromJsonAsync<JsonElement>("/api/v1/security");
        var body = Security();
        body["deploymentUser"] = "runner";
        body["sshPrivateKey"] = new { newValue = DeploymentKey.PrivateKey };
        body["version"] = current.GetProperty("version").GetInt32();
        using (var security = await admin.PutAsJsonAsync("/api/v1/security", body))
            Assert.True(security.IsSuccessStatusCode, await security.Content.ReadAsStringAsync());
        var vms = await admin.GetFromJsonAsync<JsonElement[]>("/api/v1/virtual-machines") ?? [];
        if (vms.Length == 0)
            using (var generate = await admin.PostAsJsonAsync("/api/v1/architecture/generate", new { }))
                Assert.True(generate.IsSuccessStatusCode, await generate.Content.ReadAsStringAsync());
    }

    private string Lock(IReadOnlyList<RepackedDeb> debs)
    {
        // rhel9-base as the roles name it (meta/artifacts.yml); never fetched here: the machines are Debian.
        var images = string.Concat(Images.Select(name => $"""
              - name: {name}
                kind: image
                version: "1.0"
                sha256: {Upstream!.ImageDigest}
                size: {Upstream.ImageSize}
                source:
                  image: {Upstream.Registry.Host}/{FetchBed.ImageRepository}:1.0

            """));
        return $$"""
            version: 1
            artifacts:
              - name: rhel9-base
                kind: package-repo
                version: "2026-12-02"
                os: rhel9
                size: 1
                source:
                  packages:
                    - { name: chrony, version: 4.5-3.el9, arch: x86_64, url: "https://rhel9-mirror.site.invalid/chrony-4.5-3.el9.x86_64.rpm", sha256: "{{new string('0', 64)}}", size: 1 }
            {{MachinePackages.LockEntry(debs, _debs!)}}
            {{images}}
            """;
    }

    /// <summary>
    /// Runs <paramref name="role"/> as the engine does (its catalog targets, the vars and secrets files, the
    /// static wrapper playbook), on the demo hosts of <paramref name="hosts"/> only (--limit), each pointed at
    /// its machine; the other hosts of the inventory keep their demo (loopback) addresses and are never
    /// contacted. Ansible logs in as root with the machines' key: the deployment user exists only once
    /// prepare-vms has run. <paramref name="overrides"/>: extra vars of the test, each with its reason.
    /// </summary>
    public async Task<RoleRun> RunAsync(string role, IReadOnlyDictionary<string, SystemdMachine> hosts, JsonObject? overrides = null, bool check = false,
        IReadOnlyDictionary<string, SystemdMachine>? alsoAddressed = null)
    {
        var run = Path.Combine(_work.Path, $"run-{Interlocked.Increment(ref _runs)}-{role}");
        Directory.CreateDirectory(Path.Combine(run, "localhost-tmp"));
        var inventory = JsonNode.Parse(Inputs.Inventory)!.AsObject();
        var inventoryHosts = inventory["all"]!["hosts"]!.AsObject();
        foreach (var (name, machine) in (alsoAddressed ?? new Dictionary<string, SystemdMachine>()).Concat(hosts))
        {
            var host = inventoryHosts[name]!.AsObject();
            host["ansible_host"] = machine.Address;
            // Per host, not in all.vars: the implicit localhost (the registry role's pushes) takes all's vars.
            host["ansible_connection"] = "ssh";
            host["ansible_user"] = "root";
            host["ansible_ssh_private_key_file"] = Machines.PrivateKeyPath;
            host["ansible_ssh_common_args"] = $"-o UserKnownHostsFile={Machines.KnownHostsPath} -o StrictHostKeyChecking=yes";
            host["ansible_python_interpreter"] = "/usr/bin/python3";
        }
        await File.WriteAllTextAsync(Path.Combine(run, "inventory.json"), inventory.ToJsonString());
        await File.WriteAllTextAsync(Path.Combine(run, "vars.json"), Inputs.Vars.ToJsonString());
        var secrets = Inputs.Secrets.DeepClone().AsObject();
        secrets["generated"] = new JsonObject(Generated.Select(g => KeyValuePair.Create(g.Key, (JsonNode?)g.Value)));
        await File.WriteAllTextAsync(Path.Combine(run, "secrets.json"), new JsonObject { ["runner_secrets"] = secrets }.ToJsonString());
        await File.WriteAllTextAsync(Path.Combine(run, "overrides.json"), (overrides ?? []).ToJsonString());

        var catalog = Appliance.Host.Services.GetRequiredService<CatalogFile>();
        var pattern = catalog.Catalog.Role(role)?.HostPattern ?? throw new ArgumentException($"{role} is not in the catalog.", nameof(role));
        List<string> arguments =
        [
            "-i", Path.Combine(run, "inventory.json"), Path.Combine(catalog.AnsibleDirectory, "playbooks", "run_role.yml"),
            "-e", $"role_name={role}", "-e", $"target_hosts={pattern}", "-e", "@" + Path.Combine(run, "vars.json"),
            "-e", "@" + Path.Combine(run, "secrets.json"), "-e", "@" + Path.Combine(run, "overrides.json"), "--limit", string.Join(',', hosts.Keys),
        ];
        if (check)
            arguments.AddRange(["--check", "--diff"]);
        var environment = new Dictionary<string, string>(Machines.AnsibleEnvironment)
        {
            ["ANSIBLE_ROLES_PATH"] = Path.Combine(catalog.AnsibleDirectory, "roles"),
            ["RUNNER_LOCALHOST_TMP"] = Path.Combine(run, "localhost-tmp"),
            ["ANSIBLE_HOME"] = Path.Combine(run, "home"),
            ["ANSIBLE_LOCALHOST_WARNING"] = "False",
            // The role outputs (set_stats runner_outputs) in the recap, as the engine's callback carries them.
            ["ANSIBLE_SHOW_CUSTOM_STATS"] = "True",
        };
        var clock = Stopwatch.StartNew();
        var result = await SystemdMachines.RunAsync("ansible-playbook", arguments, environment, TimeSpan.FromMinutes(5), run);
        var output = result.Output + result.Error;
        AssertNoSecretIn(output, $"the output of {role}");
        // What the run left in its directory (Ansible's temp files on the appliance, the localhost temp dir the
        // registry role's skopeo uses): no secret, except in the secrets file the engine writes on tmpfs.
        foreach (var file in Directory.GetFiles(run, "*", SearchOption.AllDirectories).Where(f => Path.GetFileName(f) != "secrets.json"))
            AssertNoSecretIn(await File.ReadAllTextAsync(file), file);
        return new RoleRun(result.ExitCode, output, clock.Elapsed, run);
    }

    /// <summary>No secret of the configuration, and no generated one, in <paramref name="text"/>.</summary>
    public void AssertNoSecretIn(string text, string where)
    {
        var masker = new SecretMasker(Leaves(Inputs.Secrets).Concat(Generated.Values));
        Assert.True(masker.Apply(text) == text, $"a secret is in {where}");
    }

    private static IEnumerable<string> Leaves(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => Leaves(p.Value)),
        JsonValue v when v.TryGetValue<string>(out var s) => [s],
        _ => [],
    };

    public async Task DisposeAsync()
    {
        if (Appliance is not null)
            await Appliance.DisposeAsync();
        if (_debs is not null)
            await _debs.DisposeAsync();
        if (Upstream is not null)
            await Upstream.DisposeAsync();
        if (Machines is not null)
            await Machines.DisposeAsync();
        _work.Dispose();
    }
}
