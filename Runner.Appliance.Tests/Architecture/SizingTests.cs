using System.Globalization;
using Runner.Appliance.Features.Architecture;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Architecture;

public sealed class SizingTests
{
    private static readonly SizingRules Rules = SizingFile.LoadEmbedded();

    [Fact]
    public void TheShippedSizingFile_FollowsEveryRule()
    {
        Assert.Empty(SizingFile.Validate(Rules));
        Assert.Equal(["S", "M", "L", "XL"], Rules.Tiers.Select(t => t.Id));
        Assert.Equal(16, Rules.Groups.Count);
        Assert.All(Rules.Groups, g => Assert.Contains(g.Zone, new[] { "LAN_INFRA", "LAN_APPS", "DMZ" }));
    }

    /// <summary>Every row of the totals table in docs/sizing.md is what the generator produces.</summary>
    [Fact]
    public void DocumentedTotals_MatchTheSizingFile()
    {
        var rows = DocumentedTotals().ToList();
        Assert.Equal(12, rows.Count);
        foreach (var (tier, products, vms, vcpu, ram, disk) in rows)
        {
            var users = Rules.Tiers.Single(t => t.Id == tier).MaxUsers;
            var sizing = Sizing.Size(Rules, users, products);
            Assert.Equal(tier, sizing.Tier.Id);
            Assert.True((vms, vcpu, ram, disk) == (sizing.Vms.Count, sizing.TotalVcpu, sizing.TotalRamGb, sizing.TotalDiskGb),
                $"docs/sizing.md says {tier} {string.Join("+", products)} = {vms} VMs / {vcpu} vCPU / {ram} GB / {disk} GB; the file gives {sizing.Vms.Count} / {sizing.TotalVcpu} / {sizing.TotalRamGb} / {sizing.TotalDiskGb}.");
        }
    }

    [Theory]
    [InlineData(1, "S")]
    [InlineData(500, "S")]
    [InlineData(501, "M")]
    [InlineData(2000, "M")]
    [InlineData(2001, "L")]
    [InlineData(10000, "L")]
    [InlineData(10001, "XL")]
    [InlineData(1_000_000, "XL")]
    public void BoundaryUserCounts_LandInTheRightTier(int users, string tier) =>
        Assert.Equal(tier, Sizing.Size(Rules, users, ["GCO"]).Tier.Id);

    [Theory]
    [InlineData(new[] { "GCO" }, 3)]
    [InlineData(new[] { "EServices" }, 3)]
    [InlineData(new[] { "EServices", "GCO" }, 4)]
    public void EachProduct_AddsItsApplicationAgents(string[] products, int agents)
    {
        var sizing = Sizing.Size(Rules, 1500, products);

        Assert.Equal(agents, sizing.Vms.Count(v => v.Group == "rke2-apps-agent"));
        Assert.Equal(Enumerable.Range(1, agents), sizing.Vms.Where(v => v.Group == "rke2-apps-agent").Select(v => v.Index));
        Assert.All(sizing.Vms.Where(v => v.Group == "rke2-apps-agent"), v => Assert.Equal((8, 32), (v.Vcpu, v.RamGb)));
    }

    [Fact]
    public void TheTierDecidesHighAvailability()
    {
        Assert.Equal(1, Sizing.Size(Rules, 500, ["GCO"]).Vms.Count(v => v.Group == "vault"));
        Assert.Equal(3, Sizing.Size(Rules, 501, ["GCO"]).Vms.Count(v => v.Group == "vault"));
        Assert.All(["rke2-apps-server", "rke2-middleware-server", "rke2-dmz-server"], g =>
            Assert.Equal(3, Sizing.Size(Rules, 501, ["GCO"]).Vms.Count(v => v.Group == g)));
    }

    [Fact]
    public void HostNames_FollowThePattern() =>
        Assert.Equal("prod-rke2-apps-agent-03", Sizing.HostName(Rules, "prod", "rke2-apps-agent", 3));

    [Fact]
    public void AGroupLimitedToAProduct_ExistsOnlyWithIt()
    {
        var rules = Parse(MinimalFile("    products: [EServices]\n"));

        Assert.Empty(Sizing.Size(rules, 10, ["GCO"]).Vms);
        Assert.Single(Sizing.Size(rules, 10, ["EServices"]).Vms);
    }

    public static TheoryData<string, string> BrokenFiles() => new()
    {
        { MinimalFile().Replace("version: 1", "version: 2", StringComparison.Ordinal), "version is 2" },
        { MinimalFile().Replace("{nn}", "", StringComparison.Ordinal), "must contain {group} and {nn}" },
        { MinimalFile().Replace("max_users: 1000000", "max_users: 5000", StringComparison.Ordinal), "the last tier ends at 5,000 users" },
        { MinimalFile().Replace("id: web", "id: Web_Tier", StringComparison.Ordinal), "group id 'Web_Tier' must be lowercase" },
        { MinimalFile().Replace("zone: LAN_APPS", "zone: \"\"", StringComparison.Ordinal), "group 'web' has no zone" },
        { MinimalFile().Replace("roles: [install-web]", "roles: []", StringComparison.Ordinal), "names no Ansible role" },
        { MinimalFile("    products: [Payroll]\n"), "product 'Payroll', which is not a known product" },
        { MinimalFile().Replace("vcpu: 2", "vcpu: 128", StringComparison.Ordinal), "128 vCPU is outside 1 to 64" },
        { MinimalFile().Replace("disks_gb: [50]", "disks_gb: [5]", StringComparison.Ordinal), "a 5 GB disk is outside 10 to 16,384 GB" },
        { MinimalFile().Replace("X: { count", "Y: { count", StringComparison.Ordinal), "group 'web' has no size for tier X" },
        { MinimalFile().Replace("X: { count", "Y: { count", StringComparison.Ordinal), "group 'web' names tier 'Y', which is not defined" },
        { MinimalFile().Replace("count: 1", "count: 51", StringComparison.Ordinal), "count 51 is outside 0 to 50" },
    };

    [Theory]
    [MemberData(nameof(BrokenFiles))]
    public void ABrokenSizingFile_IsRefusedWithTheProblemNamed(string yaml, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => Parse(yaml));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("test.yml", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidYaml_IsRefusedWithItsLine()
    {
        var error = Assert.Throws<InvalidDataException>(() => Parse("version: 1\ntiers:\n  - id: X\n    max_users: [oops\n"));

        Assert.Contains("line", error.Message, StringComparison.Ordinal);
    }

    private static SizingRules Parse(string yaml) => SizingFile.Parse(new StringReader(yaml), "test.yml");

    private static string MinimalFile(string extra = "") => $$"""
        version: 1
        hostname_pattern: "{prefix}-{group}-{nn}"
        tiers:
          - id: X
            name: Only
            max_users: 1000000
        groups:
          - id: web
            zone: LAN_APPS
            roles: [install-web]
        {{extra}}    tiers:
              X: { count: 1, vcpu: 2, ram_gb: 4, disks_gb: [50] }
        """;

    private static IEnumerable<(string Tier, string[] Products, int Vms, int Vcpu, int Ram, int Disk)> DocumentedTotals()
    {
        var path = Repository.PathOf("docs", "sizing.md");
        var lines = File.ReadAllLines(path);
        var start = Array.FindIndex(lines, l => l.StartsWith("| Tier | Products | VMs |", StringComparison.Ordinal));
        Assert.True(start >= 0, "docs/sizing.md has no totals table");
        foreach (var line in lines.Skip(start + 2).TakeWhile(l => l.StartsWith('|')))
        {
            var cells = line.Trim('|').Split('|').Select(c => c.Trim()).ToArray();
            int N(string s) => int.Parse(s, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
            yield return (cells[0], cells[1].Split(" + "), N(cells[2]), N(cells[3]), N(cells[4]), N(cells[5]));
        }
    }
}
