using Runner.Appliance.Features.Architecture;
using Runner.Appliance.Validation;

namespace Runner.Appliance.Tests.Architecture;

/// <summary>Hand edits of a VM: every rule with the field it points to and its message; a refused edit writes nothing.</summary>
public sealed class VmEditTests : IAsyncLifetime
{
    private readonly ArchitectureBed _bed = new(users: 800);

    public async Task InitializeAsync() => await _bed.GenerateAsync();

    public static TheoryData<string, Action<VirtualMachineDto>, string, string> BadEdits() => new()
    {
        { "address outside the subnet", v => v.IpAddress = "10.9.9.9", "ipAddress", "IP address 10.9.9.9 is outside zone LAN_INFRA's subnet 10.1.10.0/24; expected a free address of 10.1.10.10–10.1.10.99." },
        { "address outside the range", v => v.IpAddress = "10.1.10.200", "ipAddress", "IP address 10.1.10.200 is outside zone LAN_INFRA's reserved VM range 10.1.10.10–10.1.10.99" },
        { "the gateway", v => v.IpAddress = "10.1.10.1", "ipAddress", "IP address 10.1.10.1 is zone LAN_INFRA's gateway" },
        { "the broadcast address", v => v.IpAddress = "10.1.10.255", "ipAddress", "is the broadcast address of 10.1.10.0/24" },
        { "not an address", v => v.IpAddress = "10.1.10", "ipAddress", "IP address '10.1.10' is not an IPv4 address" },
        { "an address in use", v => v.IpAddress = "10.1.10.10", "ipAddress", "IP address 10.1.10.10 is already used by prod-registry-01" },
        { "empty address", v => v.IpAddress = " ", "ipAddress", "IP address is required: a free address of zone LAN_INFRA's reserved range 10.1.10.10–10.1.10.99." },
        { "a name in use", v => v.HostName = "prod-vault-01", "hostName", "Host name prod-vault-01 is already used by the VM vault #1" },
        { "a name in use, other case", v => v.HostName = "PROD-VAULT-01", "hostName", "is not valid; expected 1 to 63 lowercase letters" },
        { "a name with a dot", v => v.HostName = "bastion.example.local", "hostName", "Host name 'bastion.example.local' is not valid" },
        { "empty name", v => v.HostName = "", "hostName", "Host name is required" },
        { "no vCPU", v => v.Vcpu = 0, "vcpu", "0 vCPU is outside the limits; expected 1 to 64 vCPU." },
        { "too many vCPU", v => v.Vcpu = 65, "vcpu", "65 vCPU is outside the limits" },
        { "too much RAM", v => v.RamGb = 1024, "ramGb", "1024 GB of RAM is outside the limits; expected 1 to 512 GB." },
        { "no disk", v => v.DisksGb = [], "disksGb", "0 disks is outside the limits; expected 1 to 8 disks" },
        { "a tiny disk", v => v.DisksGb = [50, 5], "disksGb", "Disk 2 of 5 GB is outside the limits; expected 10 to 16,384 GB per disk." },
        { "unknown hypervisor", v => v.Hypervisor = "nutanix9", "hypervisor", "Hypervisor 'nutanix9' does not exist; known hypervisors: vc." },
        { "overlong cluster", v => v.Cluster = new string('c', 81), "cluster", "Cluster name is 81 characters long; expected at most 80." },
    };

    [Theory]
    [MemberData(nameof(BadEdits))]
    public async Task ABadEdit_IsRefusedWithItsFieldAndMessage_AndWritesNothing(string why, Action<VirtualMachineDto> edit, string field, string message)
    {
        var before = await _bed.VmAsync("prod-bastion-01");

        var outcome = await _bed.EditAsync("prod-bastion-01", edit);

        Assert.True(outcome.Kind == OutcomeKind.Invalid, why);
        Assert.Contains(message, outcome.Errors.For(field), StringComparison.Ordinal);
        Assert.Equal(before.Version, (await _bed.VmAsync("prod-bastion-01")).Version);
    }

    [Fact]
    public async Task AGoodEdit_IsSaved_AndMarksOnlyWhatDiffersFromTheSizing()
    {
        Assert.True((await _bed.EditAsync("prod-bastion-01", v => { v.IpAddress = "10.1.10.80"; v.DisksGb = [50, 100]; })).Succeeded);
        var vm = await _bed.VmAsync("prod-bastion-01");
        Assert.Equal(("10.1.10.80", 2), (vm.IpAddress, vm.DisksGb!.Count));
        Assert.Equal([VmEdits.Size, VmEdits.IpAddress], vm.EditedFields);

        Assert.True((await _bed.EditAsync("prod-bastion-01", v => v.DisksGb = [50])).Succeeded);

        Assert.Equal([VmEdits.IpAddress], (await _bed.VmAsync("prod-bastion-01")).EditedFields);
    }

    [Fact]
    public async Task AStaleEdit_IsRefusedWithWhoChangedIt()
    {
        var stale = await _bed.VmAsync("prod-bastion-01");
        Assert.True((await _bed.EditAsync("prod-bastion-01", v => v.Vcpu = 4)).Succeeded);

        stale.RamGb = 8;
        var outcome = await _bed.Service.UpdateAsync(stale.Id, stale, "ivan");

        Assert.Equal(OutcomeKind.Conflict, outcome.Kind);
        Assert.Contains("The VM prod-bastion-01 was changed by olga", outcome.Message, StringComparison.Ordinal);
    }

    public Task DisposeAsync()
    {
        _bed.Dispose();
        return Task.CompletedTask;
    }
}
