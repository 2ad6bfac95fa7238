using System.Text.RegularExpressions;

// Not "…Tests.Roles": that would hide Runner.Appliance.Security.Roles from the other tests; "DeploymentRoles" keeps the filter ~Roles.
namespace Runner.Appliance.Tests.DeploymentRoles;

/// <summary>One ansible-playbook run of a role: its exit code, what it printed, its PLAY RECAP per host, and the directory it ran in.</summary>
public sealed partial record RoleRun(int ExitCode, string Output, TimeSpan Elapsed, string Directory)
{
    public IReadOnlyDictionary<string, (int Ok, int Changed, int Failed, int Unreachable)> Recap { get; } = RecapOf(Output);

    public int Changed => Recap.Values.Sum(r => r.Changed);

    /// <summary>The hosts and their counts, as the report of a test prints them.</summary>
    public string Summary => string.Join(", ", Recap.Select(r => $"{r.Key} ok={r.Value.Ok} changed={r.Value.Changed}")) + $" in {Elapsed.TotalSeconds:0.0} s";

    public void AssertSucceeded(string what)
    {
        Assert.True(ExitCode == 0 && Recap.Count > 0 && Recap.Values.All(r => r.Failed == 0 && r.Unreachable == 0), $"{what}: exit {ExitCode}\n{Output}");
    }

    private static Dictionary<string, (int, int, int, int)> RecapOf(string output) =>
        RecapLine().Matches(output).ToDictionary(m => m.Groups["host"].Value,
            m => (int.Parse(m.Groups["ok"].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(m.Groups["changed"].Value, System.Globalization.CultureInfo.InvariantCulture),
                int.Parse(m.Groups["failed"].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(m.Groups["unreachable"].Value, System.Globalization.CultureInfo.InvariantCulture)));

    [GeneratedRegex(@"^(?<host>\S+)\s+:\s+ok=(?<ok>\d+)\s+changed=(?<changed>\d+)\s+unreachable=(?<unreachable>\d+)\s+failed=(?<failed>\d+)", RegexOptions.Multiline)]
    private static partial Regex RecapLine();
}
