using Runner.Appliance.Features.AnswerFile;
using Runner.Appliance.Features.Preflight;
using Runner.Appliance.Features.Preflight.Ldap;
using Runner.Appliance.Features.SecuritySettings;
using Runner.Appliance.Features.Services;
using Runner.Appliance.Tests.Peers;
using Xunit.Abstractions;

namespace Runner.Appliance.Tests.Preflight.Ldap;

public sealed class LdapChecksTests(Slapd slapd, ITestOutputHelper output) : IClassFixture<Slapd>
{
    private static LdapDirectoryDto Directory(int port, LdapTlsMode mode = LdapTlsMode.None, string scheme = "ldap") => new()
    {
        Id = 4, Kind = LdapKind.OpenLdap, Alias = "Corp", Url = $"{scheme}://127.0.0.1", Port = port, TlsMode = mode,
        BindDn = Slapd.BindDn, BaseDn = Slapd.BaseDn, UserFilter = "(objectClass=inetOrgPerson)", GroupFilter = "(objectClass=groupOfNames)",
    };

    private async Task<GroupRun> RunAsync(LdapDirectoryDto dto, string? password = Slapd.BindPassword, bool trustCa = true)
    {
        var secrets = password is null ? new Dictionary<string, string>() : new() { ["ldap[0].bindPassword"] = password };
        // The test CA reaches the checks as a technician gives it: the site CA certificates of the security step.
        var security = new SecuritySettingsDto { TrustedCaPem = trustCa ? await File.ReadAllTextAsync(slapd.Ca.CaFile) : null };
        var source = new LdapChecks(GroupRun.Bound());
        var group = Assert.Single(source.Groups(GroupRun.Inputs(new AnswerFileDocument { Ldap = [dto], Security = security }, secrets)));
        var run = await GroupRun.RunAsync(group);
        run.Log(output);
        return run;
    }

    [Fact]
    public async Task Plain_AgainstRealSlapd_PassesAndCountsTheEntries()
    {
        var run = await RunAsync(Directory(slapd.Port));

        Assert.Equal("ldap:4", run.Group.Owner);
        Assert.Equal(["ldap.corp.connect", "ldap.corp.tls", "ldap.corp.bind", "ldap.corp.baseDn", "ldap.corp.userFilter", "ldap.corp.groupFilter"],
            run.Group.Checks.Select(c => c.Id));
        Assert.Equal(CheckStatus.Skipped, run["ldap.corp.tls"].Status);
        Assert.Contains("in clear", run["ldap.corp.tls"].Message);
        foreach (var id in new[] { "ldap.corp.connect", "ldap.corp.bind", "ldap.corp.baseDn", "ldap.corp.userFilter", "ldap.corp.groupFilter" })
            Assert.Equal(CheckStatus.Passed, run[id].Status);
        // The bind account is an inetOrgPerson too: 3 people + runner.
        Assert.Contains("finds 4 users", run["ldap.corp.userFilter"].Message);
        Assert.Contains("finds 1 group under", run["ldap.corp.groupFilter"].Message);
        Assert.True(run.Elapsed < TimeSpan.FromSeconds(2), $"took {run.Elapsed}");
    }

    [Fact]
    public async Task StartTls_WithTheCaTrusted_Passes()
    {
        var run = await RunAsync(Directory(slapd.Port, LdapTlsMode.StartTls));

        Assert.Equal(CheckStatus.Passed, run["ldap.corp.tls"].Status);
        Assert.Contains("CN=127.0.0.1, issued by CN=Runner Test LDAP CA", run["ldap.corp.tls"].Detail);
        Assert.All(run.Outcomes.Values, o => Assert.Equal(CheckStatus.Passed, o.Status));
    }

    [Fact]
    public async Task Ldaps_WithTheCaTrusted_Passes()
    {
        var run = await RunAsync(Directory(slapd.LdapsPort, LdapTlsMode.Ldaps, "ldaps"));

        Assert.All(run.Outcomes.Values, o => Assert.Equal(CheckStatus.Passed, o.Status));
    }

    [Fact]
    public async Task StartTls_WithUntrustedCertificate_FailsAtUrlAndNeverBinds()
    {
        var run = await RunAsync(Directory(slapd.Port, LdapTlsMode.StartTls), trustCa: false);

        var tls = run["ldap.corp.tls"];
        Assert.Equal(CheckStatus.Failed, tls.Status);
        Assert.Equal("url", tls.Field);
        Assert.Contains("certificate is not trusted", tls.Message);
        Assert.Contains("CN=Runner Test LDAP CA", tls.Detail);
        Assert.Equal(CheckStatus.Skipped, run["ldap.corp.bind"].Status);
    }

    [Fact]
    public async Task Ldaps_OnThePlainPort_FailsAtTlsMode()
    {
        var run = await RunAsync(Directory(slapd.Port, LdapTlsMode.Ldaps, "ldaps"));

        Assert.Equal(CheckStatus.Passed, run["ldap.corp.connect"].Status);
        Assert.Equal(CheckStatus.Failed, run["ldap.corp.tls"].Status);
        Assert.Equal("tlsMode", run["ldap.corp.tls"].Field);
    }

    [Fact]
    public async Task Bind_WithWrongPassword_FailsAtBindPasswordWithoutTheSecret()
    {
        var run = await RunAsync(Directory(slapd.Port), password: "wrong-secret");

        var bind = run["ldap.corp.bind"];
        Assert.Equal(CheckStatus.Failed, bind.Status);
        Assert.Equal("bindPassword", bind.Field);
        Assert.Contains($"bind refused for {Slapd.BindDn}", bind.Message);
        Assert.DoesNotContain("wrong-secret", bind.Message);
        Assert.Equal(CheckStatus.Skipped, run["ldap.corp.baseDn"].Status);
    }

    [Fact]
    public async Task Bind_WithoutPassword_FailsRatherThanBindingUnauthenticated()
    {
        var run = await RunAsync(Directory(slapd.Port), password: null);

        Assert.Equal(CheckStatus.Failed, run["ldap.corp.bind"].Status);
        Assert.Equal("bindPassword", run["ldap.corp.bind"].Field);
    }

    [Fact]
    public async Task BaseDn_ThatDoesNotExist_FailsAtBaseDnAndNamesTheNamingContexts()
    {
        var dto = Directory(slapd.Port);
        dto.BaseDn = "ou=staff,dc=example,dc=org";

        var run = await RunAsync(dto);

        var baseDn = run["ldap.corp.baseDn"];
        Assert.Equal(CheckStatus.Failed, baseDn.Status);
        Assert.Equal("baseDn", baseDn.Field);
        Assert.Contains("'ou=staff,dc=example,dc=org' does not exist", baseDn.Message);
        Assert.Contains("naming contexts there: dc=example,dc=org", baseDn.Message);
        Assert.Equal(CheckStatus.Skipped, run["ldap.corp.userFilter"].Status);
    }

    [Fact]
    public async Task UserFilter_WithNoEntries_FailsAtUserFilter()
    {
        var dto = Directory(slapd.Port);
        dto.UserFilter = "(&(objectClass=inetOrgPerson)(uid=nobody))";

        var run = await RunAsync(dto);

        var filter = run["ldap.corp.userFilter"];
        Assert.Equal(CheckStatus.Failed, filter.Status);
        Assert.Equal("userFilter", filter.Field);
        Assert.Contains("finds no users under dc=example,dc=org", filter.Message);
    }

    [Fact]
    public async Task UserFilter_WithBadSyntax_FailsAtUserFilter()
    {
        var dto = Directory(slapd.Port);
        dto.UserFilter = "(objectClass=inetOrgPerson";

        var run = await RunAsync(dto);

        Assert.Equal(CheckStatus.Failed, run["ldap.corp.userFilter"].Status);
        Assert.Contains("not a valid LDAP filter", run["ldap.corp.userFilter"].Message);
    }

    [Fact]
    public async Task Server_Down_FailsAtUrlAtOnce()
    {
        var run = await RunAsync(Directory(PeerProcess.FreePort()));

        Assert.Equal(CheckStatus.Failed, run["ldap.corp.connect"].Status);
        Assert.Equal("url", run["ldap.corp.connect"].Field);
        Assert.Contains("connection refused", run["ldap.corp.connect"].Message);
        Assert.Equal(CheckStatus.Skipped, run["ldap.corp.bind"].Status);
        Assert.True(run.Elapsed < TimeSpan.FromSeconds(1), $"took {run.Elapsed}");
    }

    [Theory]
    [InlineData(LdapTlsMode.None)]
    [InlineData(LdapTlsMode.Ldaps)]
    public async Task Server_ThatNeverAnswers_FailsAtUrlWithinTheBound(LdapTlsMode mode)
    {
        using var silent = GroupRun.SilentServer();

        var run = await RunAsync(Directory(GroupRun.PortOf(silent), mode));

        var failed = Assert.Single(run.Outcomes, o => o.Value.Status == CheckStatus.Failed);
        Assert.Equal("url", failed.Value.Field);
        Assert.Contains("No answer from Corp", failed.Value.Message);
        Assert.InRange(run.Elapsed, TimeSpan.FromSeconds(3), run.Group.Timeout);
    }
}
