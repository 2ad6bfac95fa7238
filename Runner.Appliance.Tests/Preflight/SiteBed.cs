using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Runner.Appliance.Tests.Infrastructure;
using Runner.Appliance.Tests.Peers;

namespace Runner.Appliance.Tests.Preflight;

/// <summary>
/// A whole site on loopback for the preflight: a vCenter (vcsim), DNS (dnsmasq) and NTP (chronyd),
/// PostgreSQL, slapd, an SMTP server (aiosmtpd), an SMS gateway and a monitoring endpoint, three zone networks on private bridges, a site
/// certificate, the site's CAs (issuers of the LDAPS and SMTP certificates) and the deployment key. <see cref="ConfigureAsync"/> enters it all through the API
/// as a technician would and generates the architecture from a site sizing file of tiny VMs (vcsim
/// reports this machine's disk as its datastore).
/// </summary>
public sealed partial class SiteBed : IAsyncDisposable
{
    public const string SmsPassword = BasicAuthEndpoint.Password;

    // Fixed interface names and addresses: one site at a time across parallel test classes.
    private static readonly SemaphoreSlim OneSite = new(1, 1);
    private readonly TempDirectory _files = new();
    private readonly List<PrivateNetwork> _networks = [];
    private NetworkPeers? _network;

    private SiteBed(Vcsim vcenter, BasicAuthEndpoint sms, BasicAuthEndpoint monitoring)
    {
        (Vcenter, Sms, Monitoring) = (vcenter, sms, monitoring);
        (Database, Directory, Mail) = (new Postgres(), new Slapd(), new SmtpServer());
        foreach (var (zone, i) in Zones.Select((z, i) => (z, i)))
            _networks.Add(new PrivateNetwork($"10.231.{40 + i}", $"rsite{i}"));
        // The roles as shipped, less what they need from the artifact store: this site has no store, and its
        // preflight is about the systems it names (ArtifactChecksTests prove the store's checks).
        AnsibleDirectory = Path.Combine(_files.Path, "ansible");
        Engine.EngineHost.CopyDirectory(Repository.PathOf("ansible"), AnsibleDirectory);
        Tests.Artifacts.ArtifactBed.ForgetRoleNeeds(AnsibleDirectory);
        SizingFile = Path.Combine(_files.Path, "sizing.yml");
        File.WriteAllText(SizingFile, TinySizing(File.ReadAllText(Repository.PathOf("Runner.Appliance/Features/Architecture/sizing.yml"))));
    }

    public static readonly string[] Zones = ["LAN_INFRA", "LAN_APPS", "DMZ"];

    public Vcsim Vcenter { get; }

    public BasicAuthEndpoint Sms { get; }

    public BasicAuthEndpoint Monitoring { get; }

    public Postgres Database { get; }

    public Slapd Directory { get; }

    public SmtpServer Mail { get; }

    public string SizingFile { get; }

    /// <summary>Host settings the appliance under test needs (the site sizing file).</summary>
    public string AnsibleDirectory { get; }

    public Dictionary<string, string?> Settings => new() { ["Appliance:SizingFile"] = SizingFile, ["Appliance:Engine:AnsibleDirectory"] = AnsibleDirectory };

    public static async Task<SiteBed> StartAsync()
    {
        if (!await OneSite.WaitAsync(TimeSpan.FromMinutes(5)))
            throw new TimeoutException("Another test kept the site for 5 minutes.");
        try
        {
            return new(new Vcsim("-host", "8"), await BasicAuthEndpoint.StartAsync(), await BasicAuthEndpoint.StartAsync(requireAuth: false));
        }
        catch
        {
            OneSite.Release();
            throw;
        }
    }

    /// <summary>Enters the site's configuration, generates the architecture, then serves DNS records for every VM.</summary>
    public async Task<JsonElement[]> ConfigureAsync(HttpClient admin)
    {
        await ExpectAsync(HttpStatusCode.NoContent, admin.PutAsJsonAsync("/api/v1/configuration",
            new { environmentPrefix = "prod", baseDomain = "example.local", concurrentUsers = 100, products = new[] { "GCO" }, version = 0 }));
        await ExpectAsync(HttpStatusCode.Created, admin.PostAsJsonAsync("/api/v1/hypervisors", new
        {
            kind = "VCenter", alias = "vc", host = Vcenter.Host, port = Vcenter.Port, username = Vcsim.User, password = new { newValue = Vcsim.Password },
            certificatePolicy = "AcceptAny", datacenter = "DC0", cluster = "DC0_C0", datastore = "LocalDS_0", network = "VM Network", template = "[LocalDS_0] iso/rhel9.iso",
        }));
        for (var i = 0; i < Zones.Length; i++)
            await ExpectAsync(HttpStatusCode.Created, admin.PostAsJsonAsync("/api/v1/zones", new
            {
                name = Zones[i], vlanId = 10 + i, subnet = $"{_networks[i].Net}.0/24", gateway = _networks[i].Gateway,
                dnsServers = new[] { NetworkPeers.DnsServer }, ntpServers = new[] { NetworkPeers.NtpServer },
                rangeStart = $"{_networks[i].Net}.20", rangeEnd = $"{_networks[i].Net}.99", hypervisor = "vc",
            }));
        var (certificate, key) = KeyFactory.ValidCertificate("*.example.local");
        var siteCas = await File.ReadAllTextAsync(Directory.Ca.CaFile) + await File.ReadAllTextAsync(Mail.Ca.CaFile);
        await ExpectAsync(HttpStatusCode.NoContent, admin.PutAsJsonAsync("/api/v1/security", new
        {
            tlsMode = "Upload", certificatePem = certificate, privateKey = new { newValue = key },
            trustedCaPem = siteCas,
            deploymentUser = "runner", sshPrivateKey = new { newValue = KeyFactory.SshPrivateKey() }, version = 0,
        }));
        await ExpectAsync(HttpStatusCode.Created, admin.PostAsJsonAsync("/api/v1/sms-providers",
            new { alias = "sms", url = Sms.Url, username = BasicAuthEndpoint.User, secret = new { newValue = SmsPassword }, sender = "RUNNER" }));
        await ExpectAsync(HttpStatusCode.Created, admin.PostAsJsonAsync("/api/v1/monitoring", new { tool = "Prometheus", alias = "prometheus", endpoint = Monitoring.Url }));
        await ExpectAsync(HttpStatusCode.Created, admin.PostAsJsonAsync("/api/v1/databases", new
        {
            kind = "PostgreSql", alias = "appdb", host = Database.Host, port = Database.Port, databaseName = Postgres.Database, username = Postgres.User,
            password = new { newValue = Postgres.Password },
        }));
        await ExpectAsync(HttpStatusCode.Created, admin.PostAsJsonAsync("/api/v1/ldap", new
        {
            kind = "OpenLdap", alias = "corp", url = "ldaps://127.0.0.1", port = Directory.LdapsPort, tlsMode = "Ldaps", bindDn = Slapd.BindDn,
            bindPassword = new { newValue = Slapd.BindPassword }, baseDn = Slapd.BaseDn, userFilter = "(objectClass=inetOrgPerson)",
        }));
        await ExpectAsync(HttpStatusCode.Created, admin.PostAsJsonAsync("/api/v1/smtp",
            new { alias = "relay", host = "127.0.0.1", port = Mail.Port, tlsMode = "StartTls", username = SmtpServer.User, password = new { newValue = SmtpServer.Password },
                fromAddress = "runner@example.org" }));
        await ExpectAsync(HttpStatusCode.OK, admin.PostAsJsonAsync("/api/v1/architecture/generate", new { }));
        var vms = await admin.GetFromJsonAsync<JsonElement[]>("/api/v1/virtual-machines") ?? [];
        _network?.Dispose();
        _network = new NetworkPeers(vms.Select(v => ($"{v.GetProperty("hostName").GetString()}.example.local", v.GetProperty("ipAddress").GetString()!)));
        return vms;
    }

    public static async Task ExpectAsync(HttpStatusCode expected, Task<HttpResponseMessage> call)
    {
        using var response = await call;
        Assert.True(response.StatusCode == expected, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>The shipped sizing with every VM at 1 vCPU, 1 GB RAM and one 1 GB disk.</summary>
    private static string TinySizing(string sizing)
    {
        sizing = VcpuSize().Replace(sizing, "vcpu: 1");
        sizing = RamSize().Replace(sizing, "ram_gb: 1");
        sizing = Disks().Replace(sizing, "disks_gb: [1]");
        return sizing.Replace("disk_gb: { min: 10,", "disk_gb: { min: 1,", StringComparison.Ordinal);
    }

    [GeneratedRegex(@"(?<=[{,] )vcpu: \d+")]
    private static partial Regex VcpuSize();

    [GeneratedRegex(@"(?<=[{,] )ram_gb: \d+")]
    private static partial Regex RamSize();

    [GeneratedRegex(@"disks_gb: \[[^\]]*\]")]
    private static partial Regex Disks();

    public async ValueTask DisposeAsync()
    {
        _network?.Dispose();
        foreach (var network in _networks)
            network.Dispose();
        Vcenter.Dispose();
        Database.Dispose();
        Directory.Dispose();
        Mail.Dispose();
        await Sms.DisposeAsync();
        await Monitoring.DisposeAsync();
        _files.Dispose();
        OneSite.Release();
    }
}
