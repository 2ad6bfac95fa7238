using System.Net;
using System.Net.Sockets;
using Runner.Appliance.Features.Hypervisors;
using Runner.Appliance.Features.Preflight;
using Runner.Appliance.Tests.Peers;
using Xunit.Abstractions;
using Runner.Appliance.Tests.Integrations.Vsphere;

namespace Runner.Appliance.Tests.Preflight.Vsphere;

/// <summary>Servers that are down, silent, or of another kind than configured; and a standalone ESXi host.</summary>
[Collection(VcsimCollection.Name)]
public sealed class VsphereReachTests(VcsimFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task PortWhereNothingListens_FailsTlsAtOnce_AndSkipsTheRest()
    {
        using var bed = new VsphereBed(fixture.Server);
        bed.Hypervisor.Port = ClosedPort();

        var results = await bed.RunAsync();

        var tls = results["hypervisors.vc.tls"];
        Assert.Equal(CheckStatus.Failed, tls.Status);
        Assert.StartsWith($"Nothing answers on 127.0.0.1:{bed.Hypervisor.Port} (connection refused)", tls.Message, StringComparison.Ordinal);
        Assert.Equal("port", results.FieldOf("hypervisors.vc.tls"));
        Assert.All(results.All.Where(r => r.Check.Id != "hypervisors.vc.tls"), r => Assert.Equal(CheckStatus.Skipped, r.Outcome.Status));
        output.WriteLine($"Refused port: {bed.Elapsed.TotalMilliseconds:0} ms");
        Assert.True(bed.Elapsed < TimeSpan.FromSeconds(1), $"took {bed.Elapsed.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task ServerThatAcceptsButNeverAnswers_EndsWithinTheBound_EvenWithoutTheRunnersToken()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        using var bed = new VsphereBed(fixture.Server) { Timeout = TimeSpan.FromSeconds(1) };
        bed.Hypervisor.Port = ((IPEndPoint)silent.LocalEndpoint).Port;

        var results = await bed.RunAsync(runnerBound: false);

        Assert.Equal(CheckStatus.Failed, results["hypervisors.vc.tls"].Status);
        Assert.Equal($"No answer from 127.0.0.1:{bed.Hypervisor.Port} within 1 s.", results["hypervisors.vc.tls"].Message);
        output.WriteLine($"Silent server, 1 s bound: {bed.Elapsed.TotalMilliseconds:0} ms");
        Assert.InRange(bed.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(1.5));
    }

    [Fact]
    public async Task StandaloneEsxi_WithEmptyDatacenter_PassesAndRecordsTheHostsCapacity()
    {
        using var esxi = new Vcsim("-esx");
        using var bed = Esxi(esxi);
        bed.Plan(1, vcpu: 2, ramGb: 1, diskGb: 10, cluster: null);

        var results = await bed.RunAsync();

        Assert.All(results.All, r => Assert.True(r.Outcome.Status == CheckStatus.Passed, results.Describe()));
        Assert.Contains("hypervisors.esx.esxihost", results.Group.Checks.Select(c => c.Id));
        Assert.DoesNotContain("hypervisors.esx.cluster", results.Group.Checks.Select(c => c.Id));
        Assert.Equal("Datacenter ha-datacenter found on esx (127.0.0.1:" + esxi.Port + ").", results["hypervisors.esx.datacenter"].Message);
        await using var db = bed.Store.CreateDbContext();
        var row = Assert.Single(db.ClusterCapacities);
        Assert.Equal(("esx", ""), (row.Hypervisor, row.Cluster));
        Assert.True(row.PhysicalCores > 0);
    }

    [Fact]
    public async Task StandaloneEsxi_WithAnotherHostName_NamesTheHostThatExists()
    {
        using var esxi = new Vcsim("-esx");
        using var bed = Esxi(esxi);
        bed.Hypervisor.EsxiHost = "esx01.example.local";

        var results = await bed.RunAsync();

        var host = results["hypervisors.esx.esxihost"];
        Assert.Equal(CheckStatus.Failed, host.Status);
        Assert.StartsWith("Host 'esx01.example.local' not found in datacenter ha-datacenter; hosts there: ", host.Message, StringComparison.Ordinal);
        Assert.Equal("esxiHost", results.FieldOf("hypervisors.esx.esxihost"));
    }

    [Fact]
    public async Task VCenterKind_PointingAtAStandaloneEsxi_FailsAtTheKindField()
    {
        using var esxi = new Vcsim("-esx");
        using var bed = new VsphereBed(esxi);

        var results = await bed.RunAsync();

        Assert.Equal(CheckStatus.Failed, results["hypervisors.vc.tls"].Status);
        Assert.Contains("is a standalone ESXi host", results["hypervisors.vc.tls"].Message, StringComparison.Ordinal);
        Assert.Equal("kind", results.FieldOf("hypervisors.vc.tls"));
        Assert.Equal(CheckStatus.Failed, results["hypervisors.vc.datacenter"].Status);
    }

    private static VsphereBed Esxi(Vcsim esxi)
    {
        var bed = new VsphereBed(esxi);
        var h = bed.Hypervisor;
        (h.Kind, h.Alias, h.Datacenter, h.Cluster, h.ResourcePool, h.Folder) = (HypervisorKind.Esxi, "esx", null, null, null, null);
        foreach (var vm in bed.Vms)
            vm.Hypervisor = "esx";
        return bed;
    }

    /// <summary>A port nothing listens on, from below the ephemeral range (no other socket takes it meanwhile).</summary>
    private static int ClosedPort() => Peers.SilentPort.Closed();
}
