namespace Runner.Appliance.Features.Preflight;

/// <summary>Which checks a preflight runs: all of them, one item's ("hypervisors:3"), or chosen check ids.</summary>
public sealed record PreflightScope(string Name, IReadOnlySet<string>? CheckIds = null, string? TestRecipient = null)
{
    public const string AllName = "all";

    public static PreflightScope All { get; } = new(AllName);

    public static PreflightScope Item(string owner) => new(owner);

    public static PreflightScope Checks(IEnumerable<string> ids) => new("checks", ids.ToHashSet(StringComparer.Ordinal));

    public bool IsAll => Name == AllName;

    /// <summary>A group runs whole (its checks share one conversation), so chosen checks bring their group.</summary>
    public bool Includes(CheckGroup group) => IsAll || (CheckIds is { } ids ? group.Checks.Any(c => ids.Contains(c.Id)) : group.Owner == Name);
}
