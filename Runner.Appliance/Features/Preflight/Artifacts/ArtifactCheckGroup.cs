using System.Globalization;
using Runner.Appliance.Features.Artifacts;

namespace Runner.Appliance.Features.Preflight.Artifacts;

/// <summary>
/// One blocking check per role of the plan that needs artifacts: every one it needs is present and its sha256
/// matches. It reads the recorded verification and hashes again only the files whose size or write time
/// changed; when that takes longer than the bound, every check fails and says to verify on the Artifacts page.
/// </summary>
internal sealed class ArtifactCheckGroup : CheckGroup
{
    private readonly IReadOnlyList<RoleNeed> _roles;
    private readonly IReadOnlyCollection<string> _products;
    private readonly ArtifactInventory _inventory;
    private readonly Dictionary<string, CheckDefinition> _checks = new(StringComparer.Ordinal);

    public ArtifactCheckGroup(IReadOnlyList<RoleNeed> roles, IReadOnlyCollection<string> products, ArtifactInventory inventory, TimeSpan timeout) : base("artifacts", timeout)
    {
        (_roles, _products, _inventory) = (roles, products, inventory);
        foreach (var role in roles)
            _checks[role.Role] = Define($"artifacts.{role.Role}", "Artifacts", $"Every artifact role {role.Role} needs is in the store, its sha256 verified",
                CheckSeverity.Blocking, new FieldRef("Artifacts", role.Role, "artifacts", "artifacts"));
    }

    public override async Task RunAsync(CheckReport report, CancellationToken ct)
    {
        ArtifactsOverview overview;
        using (var bound = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            bound.CancelAfter(Answer);
            try
            {
                overview = await _inventory.OverviewAsync(_products, bound.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                // Side by side, not one after the other: every role waited on the same hashing.
                var seconds = Answer.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
                foreach (var check in Checks)
                    report.Report(check, CheckOutcome.Failed($"Files of the store changed since they were verified, and hashing them again took longer than {seconds} s. Run \"Verify all again\" on the Artifacts page, then the preflight."));
                return;
            }
        }
        var artifacts = overview.Artifacts.ToDictionary(a => a.Name, StringComparer.Ordinal);
        foreach (var role in _roles)
            report.Report(_checks[role.Role], Judge(role, artifacts, overview.Problems));
    }

    private static CheckOutcome Judge(RoleNeed role, IReadOnlyDictionary<string, ArtifactView> artifacts, IReadOnlyList<string> problems)
    {
        if (artifacts.Count == 0 && problems.Count > 0)
            return CheckOutcome.Failed(problems[0]);
        var unknown = role.Artifacts.Where(a => !artifacts.ContainsKey(a)).ToList();
        var absent = role.Artifacts.Where(artifacts.ContainsKey).Select(a => artifacts[a]).Where(a => a.Status != ArtifactStatus.Present).ToList();
        if (unknown.Count == 0 && absent.Count == 0)
        {
            var present = role.Artifacts.Select(a => artifacts[a]).ToList();
            return CheckOutcome.Passed($"{Count(present.Count)} present and verified: {string.Join(", ", present.Select(a => $"{a.Name} {a.Version}"))}.");
        }
        var words = unknown.Select(a => $"{a}: the lock file does not pin it")
            .Concat(absent.Select(a => $"{a.Name} {a.Version}: {(a.Status == ArtifactStatus.Corrupt ? "corrupt" : "missing")}{(a.Problem is { } why ? $" ({why})" : "")}"))
            .ToList();
        return CheckOutcome.Failed($"{role.Role} needs {Count(unknown.Count + absent.Count)} not in the store: {string.Join("; ", words.Take(3))}{(words.Count > 3 ? "; …" : "")} Import them on the Artifacts page.",
            detail: string.Join("\n", words));
    }

    private static string Count(int n) => n == 1 ? "1 artifact" : $"{n} artifacts";
}
