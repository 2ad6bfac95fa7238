using System.Diagnostics;
using Xunit.Abstractions;
using Microsoft.Extensions.Options;
using Runner.Appliance.Features.Architecture;
using Runner.Appliance.Features.Hypervisors;
using Runner.Appliance.Features.Preflight;
using Runner.Appliance.Features.Preflight.Prism;
using Runner.Appliance.Tests.Peers;
using Runner.Appliance.Tests.Preflight.Http;

namespace Runner.Appliance.Tests.Preflight.Prism;

public sealed class PrismChecksTests(PrismFixture fixture, ITestOutputHelper output) : IClassFixture<PrismFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task GoodConfiguration_PassesEveryCheck()
    {
        var zones = new[] { PrismFixture.Zone("dmz", "dmz"), PrismFixture.Zone("backup", "backup-net", cluster: "bowser") };
        var (outcomes, _) = await RunAsync(PrismFixture.Inputs(fixture.Hypervisor(), zones: zones));

        Assert.Equal(["hypervisors.ntnx.tls", "hypervisors.ntnx.login", "hypervisors.ntnx.cluster", "hypervisors.ntnx.subnet",
            "hypervisors.ntnx.storageContainer", "hypervisors.ntnx.image", "zones.dmz.placement", "zones.backup.placement"], outcomes.Keys);
        Assert.All(outcomes.Values, o => Assert.Equal(CheckStatus.Passed, o.Status));
        Assert.Equal($"SHA-256 thumbprint {fixture.Prism.Thumbprint}", outcomes["hypervisors.ntnx.tls"].Detail);
        Assert.Contains("1.5 TiB free of 4 TiB", outcomes["hypervisors.ntnx.storageContainer"].Message, StringComparison.Ordinal);
        Assert.Contains("on cluster bowser", outcomes["zones.backup.placement"].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_WithWrongPassword_FailsAtPasswordField()
    {
        var (outcomes, _) = await RunAsync(PrismFixture.Inputs(fixture.Hypervisor(), password: "wrong-password"));

        Assert.Equal(CheckStatus.Passed, outcomes["hypervisors.ntnx.tls"].Status);
        var login = outcomes["hypervisors.ntnx.login"];
        Assert.Equal(CheckStatus.Failed, login.Status);
        Assert.Equal("password", login.Field);
        Assert.Contains("login refused for user admin", login.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password", login.Message, StringComparison.Ordinal);
        Assert.Equal(CheckStatus.Skipped, outcomes["hypervisors.ntnx.cluster"].Status);
    }

    [Fact]
    public async Task MissingCluster_IsNamedWithTheClustersThatExist_WithoutPrismCentralItself()
    {
        var hypervisor = fixture.Hypervisor();
        hypervisor.Cluster = "Ganon";
        var (outcomes, _) = await RunAsync(PrismFixture.Inputs(hypervisor));

        var cluster = outcomes["hypervisors.ntnx.cluster"];
        Assert.Equal(CheckStatus.Failed, cluster.Status);
        Assert.StartsWith($"Cluster 'Ganon' not found in Prism Central 127.0.0.1:{fixture.Prism.Port}; clusters there: bowser, ganon. Did you mean 'ganon'?", cluster.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pc-central", cluster.Message, StringComparison.Ordinal);
        // The other names are still looked up, so one pass shows every typo.
        Assert.Equal(CheckStatus.Passed, outcomes["hypervisors.ntnx.image"].Status);
    }

    [Fact]
    public async Task MissingSubnet_IsNamedWithTheSubnetsUsableOnTheCluster()
    {
        var hypervisor = fixture.Hypervisor();
        hypervisor.Subnet = "prod-vlan-2";
        var (outcomes, _) = await RunAsync(PrismFixture.Inputs(hypervisor));

        var subnet = outcomes["hypervisors.ntnx.subnet"];
        Assert.Equal(CheckStatus.Failed, subnet.Status);
        Assert.Equal("Subnet 'prod-vlan-2' not found on cluster ganon; subnets there: dmz, mgmt, prod-vlan, vpc-overlay.", subnet.Message);
    }

    [Fact]
    public async Task SubnetOfAnotherCluster_FailsAndSaysWhereItIs()
    {
        var hypervisor = fixture.Hypervisor();
        hypervisor.Subnet = "backup-net";
        var (outcomes, _) = await RunAsync(PrismFixture.Inputs(hypervisor));

        var subnet = outcomes["hypervisors.ntnx.subnet"];
        Assert.Equal(CheckStatus.Failed, subnet.Status);
        Assert.EndsWith("A subnet of that name exists on cluster bowser.", subnet.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingStorageContainer_IsNamedWithTheContainersOfTheCluster()
    {
        var hypervisor = fixture.Hypervisor();
        hypervisor.StorageContainer = "bulk";
        var (outcomes, _) = await RunAsync(PrismFixture.Inputs(hypervisor));

        var container = outcomes["hypervisors.ntnx.storageContainer"];
        Assert.Equal(CheckStatus.Failed, container.Status);
        Assert.Equal("Storage container 'bulk' not found on cluster ganon; storage containers there: default-container-1, SelfServiceContainer. "
            + "A container of that name exists on cluster bowser.", container.Message);
    }

    [Fact]
    public async Task MissingImage_IsNamedWithTheImagesThatExist()
    {
        var hypervisor = fixture.Hypervisor();
        hypervisor.Image = "rocky-9.5";
        var (outcomes, _) = await RunAsync(PrismFixture.Inputs(hypervisor));

        var image = outcomes["hypervisors.ntnx.image"];
        Assert.Equal(CheckStatus.Failed, image.Status);
        Assert.StartsWith("Image 'rocky-9.5' not found in Prism Central", image.Message, StringComparison.Ordinal);
        Assert.Contains("images there: rocky-9.4, tmpl-00,", image.Message, StringComparison.Ordinal);
        Assert.Contains("and 15 more", image.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lists_ArePagedPastTheServersPageCap()
    {
        fixture.Prism.Calls.Clear();
        var (outcomes, _) = await RunAsync(PrismFixture.Inputs(fixture.Hypervisor()));

        // 45 subnets, 27 images, 25 containers behind a cap of 20: the configured names sit on the last page.
        Assert.Equal(CheckStatus.Passed, outcomes["hypervisors.ntnx.subnet"].Status);
        Assert.Equal(CheckStatus.Passed, outcomes["hypervisors.ntnx.image"].Status);
        Assert.Equal(["clusters/list@0", "subnets/list@0", "subnets/list@20", "subnets/list@40", "groups@0", "groups@20", "images/list@0", "images/list@20"],
            fixture.Prism.Calls);
    }

    [Fact]
    public async Task ZoneSubnetOverride_Missing_FailsAtTheZonesNetworkField()
    {
        var checks = new PrismChecks(Options.Create(new PreflightOptions { CheckTimeout = Bound }));
        var group = Assert.Single(checks.Groups(PrismFixture.Inputs(fixture.Hypervisor(), zones: [PrismFixture.Zone("dmz", "dmz-2")])));
        var (outcomes, _) = await RunAsync(group);

        var placement = outcomes["zones.dmz.placement"];
        Assert.Equal(CheckStatus.Failed, placement.Status);
        Assert.StartsWith("Zone dmz: Subnet 'dmz-2' not found on cluster ganon;", placement.Message, StringComparison.Ordinal);
        var target = group.Checks.Single(c => c.Id == "zones.dmz.placement").Target!;
        Assert.Equal(("network", "wizard/zones?edit=zones:3"), (target.Field, target.Link));
    }

    [Fact]
    public async Task StorageContainer_SmallerThanThePlannedDisks_Warns()
    {
        var vms = new[] { new VirtualMachineDto { Hypervisor = "ntnx", DisksGb = [1024, 1024] } };
        var (outcomes, _) = await RunAsync(PrismFixture.Inputs(fixture.Hypervisor(), vms: vms));

        var container = outcomes["hypervisors.ntnx.storageContainer"];
        Assert.Equal(CheckStatus.Warning, container.Status);
        Assert.Contains("less than the 2 TiB of disks planned on ntnx", container.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThumbprintPin_Wrong_FailsTlsAtThumbprintField()
    {
        var hypervisor = fixture.Hypervisor();
        hypervisor.Thumbprint = string.Join(':', Enumerable.Repeat("AB", 32));
        var (outcomes, _) = await RunAsync(PrismFixture.Inputs(hypervisor));

        var tls = outcomes["hypervisors.ntnx.tls"];
        Assert.Equal(CheckStatus.Failed, tls.Status);
        Assert.Null(tls.Field);
        Assert.Contains($"its certificate thumbprint {fixture.Prism.Thumbprint} is not the configured AB:AB", tls.Message, StringComparison.Ordinal);
        Assert.Equal(CheckStatus.Skipped, outcomes["hypervisors.ntnx.login"].Status);
        var group = new PrismChecks(Options.Create(new PreflightOptions())).Groups(PrismFixture.Inputs(hypervisor)).Single();
        Assert.Equal("thumbprint", group.Checks[0].Target!.Field);
    }

    [Fact]
    public async Task VerifyPolicy_WithSelfSignedCertificate_FailsTls()
    {
        var hypervisor = fixture.Hypervisor();
        hypervisor.CertificatePolicy = CertificatePolicy.Verify;
        var (outcomes, _) = await RunAsync(PrismFixture.Inputs(hypervisor));

        var tls = outcomes["hypervisors.ntnx.tls"];
        Assert.Equal(CheckStatus.Failed, tls.Status);
        Assert.Contains("its certificate is not trusted (RemoteCertificateChainErrors)", tls.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClosedPort_FailsTlsAtHostField_AtOnce()
    {
        var hypervisor = fixture.Hypervisor();
        hypervisor.Port = SilentPort.Closed();
        var (outcomes, elapsed) = await RunAsync(PrismFixture.Inputs(hypervisor));

        var tls = outcomes["hypervisors.ntnx.tls"];
        Assert.Equal(CheckStatus.Failed, tls.Status);
        Assert.Equal("host", tls.Field);
        Assert.Contains("refuses connections", tls.Message, StringComparison.Ordinal);
        Assert.True(elapsed < TimeSpan.FromSeconds(2), $"took {elapsed}");
    }

    [Fact]
    public async Task SilentPort_GroupEndsWithinItsBound()
    {
        using var silent = new SilentPort();
        var hypervisor = fixture.Hypervisor();
        hypervisor.Port = silent.Port;
        var bound = TimeSpan.FromSeconds(1.5);
        var group = new PrismChecks(Options.Create(new PreflightOptions { CheckTimeout = bound })).Groups(PrismFixture.Inputs(hypervisor)).Single();
        var (outcomes, elapsed) = await RunAsync(group);

        Assert.True(elapsed < bound + TimeSpan.FromSeconds(1), $"took {elapsed}");
        Assert.DoesNotContain(outcomes.Values, o => o.Status == CheckStatus.Passed);
    }

    private Task<(IReadOnlyDictionary<string, CheckOutcome>, TimeSpan)> RunAsync(PreflightInputs inputs) =>
        RunAsync(new PrismChecks(Options.Create(new PreflightOptions { CheckTimeout = Bound })).Groups(inputs).Single());

    private async Task<(IReadOnlyDictionary<string, CheckOutcome>, TimeSpan)> RunAsync(CheckGroup group)
    {
        var clock = Stopwatch.StartNew();
        var outcomes = (await GroupRun.RunAsync(group)).Log(output).Outcomes;
        return (outcomes, clock.Elapsed);
    }
}
