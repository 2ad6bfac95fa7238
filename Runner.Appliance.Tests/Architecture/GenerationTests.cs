using Runner.Appliance.Features.Architecture;
using Runner.Appliance.Validation;

namespace Runner.Appliance.Tests.Architecture;

/// <summary>Generating the architecture against a real store: names, addresses, placement, regeneration.</summary>
public sealed class GenerationTests : IDisposable
{
    private readonly ArchitectureBed _bed = new(users: 800);

    [Fact]
    public async Task Generation_NamesAddressesAndPlacesEveryVm()
    {
        _bed.Change(db => db.Zones.Single(z => z.Name == "LAN_INFRA").ExcludedAddresses = ["10.1.10.11", "10.1.10.13"]);

        var plan = await _bed.GenerateAsync();
        var vms = await _bed.Service.ListAsync();

        Assert.Equal("M", plan.Tier!.Id);
        Assert.Equal(35, vms.Count);
        Assert.Equal(35, plan.Count(VmChangeKind.Added));
        Assert.Equal("prod-registry-01", vms[0].HostName);
        Assert.Equal("10.1.10.10", vms[0].IpAddress);
        Assert.Equal(["10.1.10.10", "10.1.10.12", "10.1.10.14"], vms.Where(v => v.Zone == "LAN_INFRA").Take(3).Select(v => v.IpAddress));
        Assert.Equal(vms.Count, vms.Select(v => v.IpAddress).Distinct().Count());
        Assert.All(vms, v => Assert.Matches("^prod-[a-z0-9-]+-0[1-9]$", v.HostName));
        Assert.All(vms.Where(v => v.Zone == "DMZ"), v => Assert.StartsWith("10.1.200.", v.IpAddress, StringComparison.Ordinal));
        Assert.All(vms, v => Assert.Equal(("vc", "DC0_C0", "LocalDS_0", "VM Network"), (v.Hypervisor, v.Cluster, v.Datastore, v.Network)));
        Assert.All(vms, v => Assert.Empty(v.EditedFields));
    }

    [Fact]
    public async Task ZoneOverrides_DecidePlacement()
    {
        _bed.Change(db =>
        {
            var dmz = db.Zones.Single(z => z.Name == "DMZ");
            (dmz.Cluster, dmz.Datastore, dmz.Network) = ("DMZ_C1", "DMZ_DS", "DMZ-VLAN200");
        });

        await _bed.GenerateAsync();

        Assert.All((await _bed.Service.ListAsync(zone: "DMZ")), v => Assert.Equal(("DMZ_C1", "DMZ_DS", "DMZ-VLAN200"), (v.Cluster, v.Datastore, v.Network)));
    }

    [Fact]
    public async Task ARangeTooSmall_NamesTheZoneAndTheMissingAddresses_AndWritesNothing()
    {
        // LAN_APPS on a /28: .1 is the gateway, .2–.14 leaves 13 addresses; M with both products needs 14 there.
        _bed.Change(db => db.Zones.Single(z => z.Name == "LAN_APPS").Subnet = "10.1.100.0/28");
        _bed.SetRange("LAN_APPS", "10.1.100.2", "10.1.100.14");

        var (outcome, _) = await _bed.Service.GenerateAsync(false, null, "olga");

        Assert.Equal(OutcomeKind.Invalid, outcome.Kind);
        var message = outcome.Errors.For("zones.LAN_APPS");
        Assert.NotNull(message);
        Assert.Contains("Zone LAN_APPS is 1 address short: 14 VMs need one, the reserved range 10.1.100.2–10.1.100.14 has 13 addresses", message, StringComparison.Ordinal);
        Assert.Contains("Widen the range", message, StringComparison.Ordinal);
        Assert.Equal(0, _bed.StoredVmCount());

        _bed.Change(db => db.Zones.Single(z => z.Name == "LAN_APPS").Subnet = "10.1.100.0/27");
        _bed.SetRange("LAN_APPS", "10.1.100.2", "10.1.100.30");
        await _bed.GenerateAsync();
        Assert.Equal(35, _bed.StoredVmCount());
    }

    [Fact]
    public async Task ExcludedAddresses_CountAgainstTheRange()
    {
        _bed.SetRange("DMZ", "10.1.200.10", "10.1.200.19");
        _bed.Change(db => db.Zones.Single(z => z.Name == "DMZ").ExcludedAddresses = ["10.1.200.10", "10.1.200.11", "10.1.200.12"]);

        var (outcome, _) = await _bed.Service.GenerateAsync(false, null, "olga");

        Assert.Contains("Zone DMZ is 1 address short: 8 VMs need one, the reserved range 10.1.200.10–10.1.200.19 has 10 addresses of which 3 are excluded",
            outcome.Errors.For("zones.DMZ"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingZone_IsNamedWithTheGroupsThatNeedIt()
    {
        _bed.Change(db => db.Zones.Remove(db.Zones.Single(z => z.Name == "DMZ")));

        var plan = await _bed.Service.PreviewAsync();

        Assert.Equal("Zone DMZ does not exist; the groups lb-dmz, rke2-dmz-server, rke2-dmz-agent need it. Add it in the Network zones step.", plan.Problems.For("zones.DMZ"));
    }

    [Fact]
    public async Task WithoutSettings_GenerationSaysWhatToDoFirst()
    {
        _bed.Change(db => db.GeneralSettings.RemoveRange(db.GeneralSettings));

        var (outcome, _) = await _bed.Service.GenerateAsync(false, null, "olga");

        Assert.Contains("Save the Products and sizing step first", outcome.Errors.For("products"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegeneratingWithoutChange_ChangesNothing_AndKeepsEveryAddress()
    {
        await _bed.GenerateAsync();
        var before = await _bed.Service.ListAsync();

        var plan = await _bed.GenerateAsync();

        Assert.Equal(0, plan.ChangeCount);
        Assert.Equal("no change", plan.Summary);
        Assert.Equal(before.Select(v => (v.HostName, v.IpAddress, v.Version)), (await _bed.Service.ListAsync()).Select(v => (v.HostName, v.IpAddress, v.Version)));
    }

    [Fact]
    public async Task ATierChange_SaysWhatIsAddedAndResized_AndKeepsExistingAddresses()
    {
        await _bed.GenerateAsync();
        var vault1 = await _bed.VmAsync("prod-vault-01");
        _bed.SetUsers(5000);

        var plan = await _bed.GenerateAsync();

        Assert.Equal("L", plan.Tier!.Id);
        Assert.Equal(43 - 35, plan.Count(VmChangeKind.Added));
        Assert.Contains(plan.Changes, c => c is { Kind: VmChangeKind.Resized, HostName: "prod-vault-01", Detail: "2 vCPU / 4 GB / 50 GB → 4 vCPU / 8 GB / 50 GB" });
        Assert.Contains(plan.Changes, c => c is { Kind: VmChangeKind.Added, HostName: "prod-rancher-03" });
        Assert.Equal(0, plan.Count(VmChangeKind.Readdressed));
        Assert.Equal(vault1.IpAddress, (await _bed.VmAsync("prod-vault-01")).IpAddress);

        _bed.SetUsers(100);
        var down = await _bed.GenerateAsync();
        Assert.Equal(43 - 19, down.Count(VmChangeKind.Removed));
        Assert.Contains(down.Changes, c => c is { Kind: VmChangeKind.Removed, HostName: "prod-vault-03" });
        Assert.Equal(19, _bed.StoredVmCount());
    }

    [Fact]
    public async Task HandEdits_SurviveRegeneration_UntilAReset()
    {
        await _bed.GenerateAsync();
        Assert.True((await _bed.EditAsync("prod-vault-02", v => { v.Vcpu = 6; v.RamGb = 12; })).Succeeded);
        Assert.True((await _bed.EditAsync("prod-gogs-01", v => v.IpAddress = "10.1.10.90")).Succeeded);
        Assert.True((await _bed.EditAsync("prod-bastion-01", v => v.HostName = "jump01")).Succeeded);
        Assert.True((await _bed.EditAsync("prod-lb-dmz-01", v => v.Datastore = "DMZ_FAST")).Succeeded);
        _bed.SetUsers(5000);

        var plan = await _bed.GenerateAsync();

        Assert.Equal((6, 12), ((await _bed.VmAsync("prod-vault-02")).Vcpu, (await _bed.VmAsync("prod-vault-02")).RamGb));
        Assert.Equal((4, 8), ((await _bed.VmAsync("prod-vault-01")).Vcpu, (await _bed.VmAsync("prod-vault-01")).RamGb));
        Assert.Equal("10.1.10.90", (await _bed.VmAsync("prod-gogs-01")).IpAddress);
        Assert.Equal("DMZ_FAST", (await _bed.VmAsync("prod-lb-dmz-01")).Datastore);
        Assert.Equal([VmEdits.HostName], (await _bed.VmAsync("jump01")).EditedFields);
        Assert.Contains(plan.Changes, c => c is { Kind: VmChangeKind.EditKept, HostName: "prod-vault-02", Detail: "keeps the size set by hand" });
        Assert.DoesNotContain(plan.Changes, c => c.HostName == "prod-vault-02" && c.Kind == VmChangeKind.Resized);

        var reset = await _bed.GenerateAsync(reset: true);

        Assert.Equal((4, 8), ((await _bed.VmAsync("prod-vault-02")).Vcpu, (await _bed.VmAsync("prod-vault-02")).RamGb));
        Assert.Equal("LocalDS_0", (await _bed.VmAsync("prod-lb-dmz-01")).Datastore);
        Assert.Equal("prod-bastion-01", (await _bed.VmAsync("prod-bastion-01")).HostName);
        Assert.All(await _bed.Service.ListAsync(), v => Assert.Empty(v.EditedFields));
        Assert.Equal(4, reset.Count(VmChangeKind.EditDropped));
    }

    [Fact]
    public async Task AHandSetAddressThatLeftTheRange_IsReallocated_AndSaysWhy()
    {
        await _bed.GenerateAsync();
        Assert.True((await _bed.EditAsync("prod-gogs-01", v => v.IpAddress = "10.1.10.90")).Succeeded);
        _bed.SetRange("LAN_INFRA", "10.1.10.10", "10.1.10.60");

        var plan = await _bed.GenerateAsync();

        var gogs = await _bed.VmAsync("prod-gogs-01");
        Assert.NotEqual("10.1.10.90", gogs.IpAddress);
        Assert.DoesNotContain(VmEdits.IpAddress, gogs.EditedFields);
        Assert.Contains(plan.Changes, c => c is { Kind: VmChangeKind.EditDropped, HostName: "prod-gogs-01" }
            && c.Detail.Contains("10.1.10.90, is outside zone LAN_INFRA's reserved VM range 10.1.10.10–10.1.10.60", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnAddressExcludedLater_MovesItsVm()
    {
        await _bed.GenerateAsync();
        _bed.Change(db => db.Zones.Single(z => z.Name == "LAN_INFRA").ExcludedAddresses = ["10.1.10.10"]);

        var plan = await _bed.GenerateAsync();

        Assert.Contains(plan.Changes, c => c is { Kind: VmChangeKind.Readdressed, HostName: "prod-registry-01" } && c.Detail.StartsWith("10.1.10.10 → ", StringComparison.Ordinal));
        Assert.Equal(1, plan.Count(VmChangeKind.Readdressed));
    }

    [Fact]
    public async Task APrefixChange_RenamesGeneratedNames_AndKeepsHandSetOnes()
    {
        await _bed.GenerateAsync();
        Assert.True((await _bed.EditAsync("prod-bastion-01", v => v.HostName = "jump01")).Succeeded);
        _bed.Change(db => db.GeneralSettings.Single().EnvironmentPrefix = "site2");

        var plan = await _bed.GenerateAsync();

        Assert.Equal(34, plan.Count(VmChangeKind.Renamed));
        Assert.Contains(plan.Changes, c => c is { Kind: VmChangeKind.Renamed, HostName: "site2-vault-01", Detail: "prod-vault-01 → site2-vault-01" });
        Assert.Contains(await _bed.Service.ListAsync(), v => v.HostName == "jump01");
    }

    [Fact]
    public async Task VmsSwappingNamesOrAddresses_AreWrittenWithoutBreakingUniqueness()
    {
        await _bed.GenerateAsync();
        var (a, b) = (await _bed.VmAsync("prod-vault-01"), await _bed.VmAsync("prod-vault-02"));
        Assert.True((await _bed.EditAsync("prod-vault-01", v => { v.HostName = "vault-tmp"; v.IpAddress = "10.1.10.95"; })).Succeeded);
        Assert.True((await _bed.EditAsync("prod-vault-02", v => { v.HostName = "prod-vault-01"; v.IpAddress = a.IpAddress; })).Succeeded);
        Assert.True((await _bed.EditAsync("vault-tmp", v => { v.HostName = "prod-vault-02"; v.IpAddress = b.IpAddress; })).Succeeded);

        await _bed.GenerateAsync(reset: true);

        Assert.Equal(a.IpAddress, (await _bed.VmAsync("prod-vault-01")).IpAddress);
        Assert.Equal(b.IpAddress, (await _bed.VmAsync("prod-vault-02")).IpAddress);
    }

    [Fact]
    public async Task ApplyingAStalePreview_IsRefused()
    {
        var preview = await _bed.Service.PreviewAsync();
        _bed.SetUsers(5000);

        var (outcome, _) = await _bed.Service.GenerateAsync(false, preview.Fingerprint, "olga");

        Assert.Equal(OutcomeKind.Conflict, outcome.Kind);
        Assert.Contains("review them again", outcome.Message, StringComparison.Ordinal);
        Assert.Equal(0, _bed.StoredVmCount());
        var current = await _bed.Service.PreviewAsync();
        Assert.True((await _bed.Service.GenerateAsync(false, current.Fingerprint, "olga")).Outcome.Succeeded);
    }

    [Fact]
    public async Task GenerationAndEdits_AreAudited_AndAnnounced()
    {
        var announced = 0;
        using var subscription = _bed.Events.Subscribe(_ => announced++);

        await _bed.GenerateAsync();
        await _bed.EditAsync("prod-vault-01", v => v.Vcpu = 8);

        using var db = _bed.Store.CreateDbContext();
        var entries = db.AuditEntries.OrderBy(e => e.Id).ToList();
        Assert.Equal(("architecture", "generated", "35 added"), (entries[0].Subject, entries[0].Action, entries[0].Fields.Single()));
        Assert.Equal(("virtual machine", "prod-vault-01", "updated"), (entries[1].Subject, entries[1].Item, entries[1].Action));
        Assert.Contains("vcpu", entries[1].Fields);
        Assert.Equal(2, announced);
    }

    public void Dispose() => _bed.Dispose();
}
