using System.Security.Cryptography;
using System.Text;
using Runner.Appliance.Validation;

namespace Runner.Appliance.Features.Architecture;

/// <summary>One VM as a generation would leave it.</summary>
public sealed record PlannedVm(string Group, int Index, string Zone, string HostName, string IpAddress,
    int Vcpu, int RamGb, IReadOnlyList<int> DisksGb, VmPlacement Placement, IReadOnlyList<string> EditedFields, int? ExistingId);

public enum VmChangeKind { Added, Removed, Resized, Readdressed, Renamed, Moved, EditKept, EditDropped }

/// <summary>One line of "what changed": the VM by host name and what happens to it, in words.</summary>
public sealed record VmChange(VmChangeKind Kind, string HostName, string Group, string Detail);

/// <summary>
/// The result of planning a generation: the VMs after it, what changes against the stored
/// architecture, and the problems that stop it (nothing is written while there is one).
/// </summary>
public sealed record ArchitecturePlan(SizingTier? Tier, IReadOnlyList<PlannedVm> Vms, IReadOnlyList<int> RemovedIds,
    IReadOnlyList<VmChange> Changes, FieldErrors Problems)
{
    public bool CanApply => Problems.IsEmpty;

    /// <summary>Changes that alter the stored architecture (kept edits are only information).</summary>
    public int ChangeCount => Changes.Count(c => c.Kind is not VmChangeKind.EditKept);

    public int Count(VmChangeKind kind) => Changes.Count(c => c.Kind == kind);

    /// <summary>Identifies this exact outcome, so that "apply what I previewed" can be checked.</summary>
    public string Fingerprint
    {
        get
        {
            var text = new StringBuilder();
            foreach (var vm in Vms)
                text.Append(vm.Group).Append('|').Append(vm.Index).Append('|').Append(vm.HostName).Append('|').Append(vm.IpAddress)
                    .Append('|').Append(vm.Vcpu).Append('|').Append(vm.RamGb).Append('|').Append(string.Join(',', vm.DisksGb))
                    .Append('|').Append(vm.Placement).Append('|').Append(string.Join(',', vm.EditedFields)).Append('\n');
            text.Append(string.Join(',', RemovedIds));
            return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
        }
    }

    public string Summary =>
        !CanApply ? "cannot be generated" :
        ChangeCount == 0 ? "no change" :
        string.Join(", ", new[]
        {
            Phrase(VmChangeKind.Added, "added"), Phrase(VmChangeKind.Removed, "removed"), Phrase(VmChangeKind.Resized, "resized"),
            Phrase(VmChangeKind.Readdressed, "readdressed"), Phrase(VmChangeKind.Renamed, "renamed"), Phrase(VmChangeKind.Moved, "moved"),
            Phrase(VmChangeKind.EditDropped, "hand edits dropped"),
        }.Where(p => p is not null));

    private string? Phrase(VmChangeKind kind, string verb) => Count(kind) is var n and > 0 ? $"{n} {verb}" : null;
}
