using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using Runner.Appliance.Tests.Peers;
using Xunit.Abstractions;

// Not "…Tests.Roles": that would hide Runner.Appliance.Security.Roles from the other tests; "DeploymentRoles" keeps the filter ~Roles.
namespace Runner.Appliance.Tests.DeploymentRoles;

/// <summary>The registry machine; a site CA and the registry's certificate made by the test; two images in the store.</summary>
public sealed class DockerRegistryBed : RoleBed
{
    public DockerRegistryBed() => Generated["registry_password"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    protected override int MachineCount => 1;

    protected override string[] Packages => ["chrony", "sudo", "docker-registry"];

    protected override string[] Images => ["hello", "hello-again"];

    public string CaPem { get; private set; } = "";

    /// <summary>The site certificate names the registry's FQDN and the machine's address (the appliance pushes there).</summary>
    protected override Dictionary<string, object?> Security()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Demo site CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=demo-registry.demo.local", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("demo-registry.demo.local");
        names.AddIpAddress(System.Net.IPAddress.Parse(Machines[0].Address));
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var leaf = request.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(90), RandomNumberGenerator.GetBytes(8));
        CaPem = ca.ExportCertificatePem();
        return new()
        {
            ["tlsMode"] = "Upload", ["certificatePem"] = leaf.ExportCertificatePem() + "\n" + CaPem, ["privateKey"] = new { newValue = key.ExportPkcs8PrivateKeyPem() },
            ["trustedCaPem"] = CaPem,
        };
    }
}

/// <summary>install-docker-registry converged on a Debian machine after prepare-vms; the images pushed from the appliance's store.</summary>
public sealed class DockerRegistryTests(DockerRegistryBed bed, ITestOutputHelper output) : IClassFixture<DockerRegistryBed>
{
    [Fact]
    public async Task TheRegistry_RunsWithTlsAndLogin_HoldsEveryImage_AndARerunPushesNothing()
    {
        var machine = bed.Machines[0];
        var hosts = new Dictionary<string, SystemdMachine> { ["demo-registry-01"] = machine };

        var prepared = await bed.RunAsync("prepare-vms", hosts, PrepareVmsTests.MachineLimits());
        prepared.AssertSucceeded("prepare-vms");
        var first = await bed.RunAsync("install-docker-registry", hosts);
        first.AssertSucceeded("first run");
        var pushes = await PutsAsync(machine);
        var second = await bed.RunAsync("install-docker-registry", hosts);
        second.AssertSucceeded("second run");
        var check = await bed.RunAsync("install-docker-registry", hosts, check: true);
        check.AssertSucceeded("check run");
        output.WriteLine($"setup {bed.SetupTime.TotalSeconds:0.0} s; prepare-vms: {prepared.Summary}; first: {first.Summary} ({pushes} PUTs); second: {second.Summary}; check: {check.Summary}");
        Assert.True(first.Changed > 0, first.Output);
        Assert.True(second.Changed == 0, second.Output);
        Assert.True(check.Changed == 0, check.Output);
        // Blobs and manifests of both images went in once; the re-run and the check run put nothing.
        Assert.True(pushes > 0, "the first run pushed nothing");
        Assert.Equal(pushes, await PutsAsync(machine));

        Assert.Equal("active", (await machine.ExecAsync("systemctl is-active docker-registry")).Trim());
        var caDirectory = Path.Combine(bed.WorkDirectory, "registry-ca");
        Directory.CreateDirectory(caDirectory);
        await File.WriteAllTextAsync(Path.Combine(caDirectory, "ca.crt"), bed.CaPem);
        foreach (var image in new[] { "hello", "hello-again" })
        {
            var reference = $"docker://{machine.Address}:5000/demo/{image}:1.0";
            var inspect = await Skopeo("inspect", "--cert-dir", caDirectory, "--creds", $"deployment:{bed.Generated["registry_password"]}", reference);
            Assert.True(inspect.ExitCode == 0, inspect.Error);
            using var found = JsonDocument.Parse(inspect.Output);
            Assert.Equal($"sha256:{bed.Upstream!.ImageDigest}", found.RootElement.GetProperty("Digest").GetString());
            // Verified TLS with the site CA, and no image without the login.
            var anonymous = await Skopeo("inspect", "--cert-dir", caDirectory, reference);
            Assert.NotEqual(0, anonymous.ExitCode);
            Assert.Contains("unauthorized", anonymous.Error, StringComparison.OrdinalIgnoreCase);
        }
        // The output later roles read: where the registry and each image are.
        Assert.Contains("\"images\": {", first.Output, StringComparison.Ordinal);
        Assert.Contains("\"hello-again\": \"demo-registry.demo.local:5000/demo/hello-again:1.0\"", first.Output, StringComparison.Ordinal);
        // skopeo's login and CA went to a private temp dir, removed when it ended.
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(first.Directory, "localhost-tmp"), "registry-image.*"));
        // The password is on the VM only as bcrypt.
        Assert.DoesNotContain(bed.Generated["registry_password"], await machine.ExecAsync("cat /etc/docker/registry/htpasswd"), StringComparison.Ordinal);
        Assert.Equal("640 root docker-registry", (await machine.ExecAsync("stat -c '%a %U %G' /etc/docker/registry/tls.key")).Trim());
    }

    /// <summary>PUT requests the registry has answered (each blob upload and manifest of a push ends in one).</summary>
    private static async Task<int> PutsAsync(SystemdMachine machine) =>
        int.Parse((await machine.ExecAsync("journalctl -u docker-registry --no-pager -o cat | grep -c 'http.request.method=PUT' || true")).Trim(),
            System.Globalization.CultureInfo.InvariantCulture);

    private static Task<ExecResult> Skopeo(params string[] arguments) => SystemdMachines.RunAsync("skopeo", arguments, null, TimeSpan.FromMinutes(1));
}
