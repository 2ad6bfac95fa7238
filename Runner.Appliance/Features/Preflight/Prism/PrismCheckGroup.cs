using Runner.Appliance.Features.Configuration.Collections;
using Runner.Appliance.Features.Hypervisors;
using Runner.Appliance.Features.Zones;
using Runner.Appliance.Integrations.Http;
using Runner.Appliance.Integrations.Prism;
using Runner.Appliance.Integrations.Tls;

namespace Runner.Appliance.Features.Preflight.Prism;

/// <summary>
/// The checks of one Nutanix hypervisor, in one conversation with its Prism Central: the first list
/// call proves TLS and the login, the next ones find the placement names. A missing name does not
/// stop the others, so that one pass shows every typo.
/// </summary>
public sealed class PrismCheckGroup : CheckGroup
{
    private const string Category = "Hypervisors";

    private readonly HypervisorDto _hypervisor;
    private readonly string? _password;
    private readonly long _plannedDiskBytes;
    private readonly CheckDefinition _tls, _login, _cluster, _subnet, _container;
    private readonly CheckDefinition? _image;
    private readonly List<(ZoneDto Zone, CheckDefinition Check)> _zones = [];
    private readonly SiteAuthorities _authorities;

    public PrismCheckGroup(HypervisorDto hypervisor, string? password, IEnumerable<ZoneDto> zones, long plannedDiskBytes, TimeSpan timeout,
        SiteAuthorities authorities)
        : base(ItemKinds.Hypervisors.Owner(hypervisor.Id), timeout)
    {
        (_hypervisor, _authorities) = (hypervisor, authorities);
        _password = password;
        _plannedDiskBytes = plannedDiskBytes;
        var alias = hypervisor.Alias ?? $"#{hypervisor.Id}";
        var id = $"hypervisors.{alias.ToLowerInvariant()}";
        var target = FieldRef.ForItem(ItemKinds.Hypervisors, hypervisor.Id, alias, "host");
        var trustField = hypervisor.CertificatePolicy == CertificatePolicy.TrustThumbprint ? "thumbprint" : "certificatePolicy";
        _tls = Define($"{id}.tls", Category, $"{alias}: Prism Central answers over trusted TLS", CheckSeverity.Blocking, target.WithField(trustField));
        _login = Define($"{id}.login", Category, $"{alias}: login to Prism Central", CheckSeverity.Blocking, target.WithField("password"));
        _cluster = Define($"{id}.cluster", Category, $"{alias}: cluster '{hypervisor.Cluster}' exists", CheckSeverity.Blocking, target.WithField("cluster"));
        _subnet = Define($"{id}.subnet", Category, $"{alias}: subnet '{hypervisor.Subnet}' exists on the cluster", CheckSeverity.Blocking, target.WithField("subnet"));
        _container = Define($"{id}.storageContainer", Category, $"{alias}: storage container '{hypervisor.StorageContainer}' exists on the cluster",
            CheckSeverity.Blocking, target.WithField("storageContainer"));
        if (!string.IsNullOrWhiteSpace(hypervisor.Image))
            _image = Define($"{id}.image", Category, $"{alias}: image '{hypervisor.Image}' exists", CheckSeverity.Blocking, target.WithField("image"));
        foreach (var zone in zones)
        {
            var name = zone.Name ?? $"#{zone.Id}";
            _zones.Add((zone, Define($"zones.{name.ToLowerInvariant()}.placement", "Network zone", $"{name}: subnet '{zone.Network}' exists on {alias}",
                CheckSeverity.Blocking, FieldRef.ForItem(ItemKinds.Zones, zone.Id, name, "network"))));
        }
    }

    public override async Task RunAsync(CheckReport report, CancellationToken ct)
    {
        var trust = new ServerTrust(_hypervisor.CertificatePolicy, _hypervisor.Thumbprint, _authorities);
        using var http = trust.CreateClient(Timeout);
        var root = PrismClient.ApiRoot(_hypervisor.Host ?? "", _hypervisor.Port ?? 0);
        var user = _hypervisor.Username?.Trim() ?? "";
        var client = new PrismClient(http, root, user, _password ?? "");
        var endpoint = $"Prism Central {root.Authority}";

        IReadOnlyList<PrismEntity> all;
        Begin(_tls);
        try
        {
            all = await client.ClustersAsync(ct);
        }
        catch (PrismException e)
        {
            report.Report(_tls, TlsPassed(trust, endpoint));
            Stop(report, _login, Refused(e, endpoint), $"Not checked: {endpoint} did not let user {user} in.");
            return;
        }
        catch (Exception e) when (!ct.IsCancellationRequested && HttpFailure.Describe(e, endpoint, Timeout, trust.Refusal) is { } message)
        {
            Stop(report, _tls, CheckOutcome.Failed(message, trust.Refusal is null ? "host" : null), $"Not checked: no trusted connection to {endpoint}.");
            return;
        }
        report.Report(_tls, TlsPassed(trust, endpoint));
        report.Report(_login, CheckOutcome.Passed($"Logged in to {endpoint} as {user}."));

        Begin(_cluster);
        // Prism Central lists itself among the clusters; VMs cannot be placed on it.
        var clusters = all.Where(c => !c.IsPrismCentral).ToList();
        var cluster = clusters.FirstOrDefault(c => c.Name == _hypervisor.Cluster?.Trim());
        report.Report(_cluster, cluster is null
            ? CheckOutcome.Failed(PrismNames.Missing("Cluster", _hypervisor.Cluster?.Trim() ?? "", $"in {endpoint}", clusters.Select(c => c.Name)))
            : CheckOutcome.Passed($"Cluster '{cluster.Name}' found (uuid {cluster.Uuid})."));

        var subnets = new Lazy<Task<IReadOnlyList<PrismEntity>>>(() => client.SubnetsAsync(ct));
        await GuardAsync(report, _subnet, endpoint, async () =>
            PrismOutcomes.Subnet(_hypervisor.Subnet?.Trim() ?? "", cluster, await subnets.Value, endpoint), ct);
        await GuardAsync(report, _container, endpoint, async () =>
            PrismOutcomes.Container(_hypervisor.StorageContainer?.Trim() ?? "", cluster, clusters, await client.StorageContainersAsync(ct),
                _plannedDiskBytes, _hypervisor.Alias ?? "", endpoint), ct);
        if (_image is not null)
            await GuardAsync(report, _image, endpoint, async () =>
                PrismOutcomes.Image(_hypervisor.Image!.Trim(), await client.ImagesAsync(ct), endpoint), ct);
        foreach (var (zone, check) in _zones)
            await GuardAsync(report, check, endpoint, async () =>
                PrismOutcomes.ZoneSubnet(zone, _hypervisor.Cluster?.Trim() ?? "", clusters, await subnets.Value, endpoint), ct);
    }

    /// <summary>Runs one check; Prism's refusals and network failures become that check's failure, so the next checks still run.</summary>
    private async Task GuardAsync(CheckReport report, CheckDefinition check, string endpoint, Func<Task<CheckOutcome>> run, CancellationToken ct)
    {
        Begin(check);
        try
        {
            report.Report(check, await run());
        }
        catch (PrismException e)
        {
            report.Report(check, CheckOutcome.Failed($"{endpoint}: {e.Message}."));
        }
        catch (Exception e) when (!ct.IsCancellationRequested && HttpFailure.Describe(e, endpoint, Timeout) is { } message)
        {
            report.Report(check, CheckOutcome.Failed(message));
        }
    }

    private static CheckOutcome TlsPassed(ServerTrust trust, string endpoint) => CheckOutcome.Passed(
        $"{endpoint} answers over TLS{(trust.Seen is null ? "" : $" with certificate '{trust.Seen.Subject}'")}.",
        trust.SeenThumbprint is null ? null : $"SHA-256 thumbprint {trust.SeenThumbprint}");

    private CheckOutcome Refused(PrismException e, string endpoint) => e.Refusal switch
    {
        PrismRefusal.Login => CheckOutcome.Failed(string.IsNullOrEmpty(_password)
            ? $"{endpoint}: {e.Message}: no password is stored for this hypervisor."
            : $"{endpoint}: {e.Message}; check the password (and that the user exists in Prism Central, not only in Prism Element).", "password"),
        PrismRefusal.Permission => CheckOutcome.Failed(
            $"{endpoint}: {e.Message}; the user needs a role that can list clusters, subnets, images and storage containers.", "username"),
        _ => CheckOutcome.Failed($"{endpoint} answered, but not as Prism Central v3 does: {e.Message}.", "host"),
    };
}
