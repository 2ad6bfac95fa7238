using Runner.Appliance.Features.AnswerFile;
using Runner.Appliance.Features.Preflight;
using Xunit.Abstractions;
using Runner.Appliance.Features.Preflight.Databases;
using Runner.Appliance.Features.Services;
using Runner.Appliance.Tests.Peers;

namespace Runner.Appliance.Tests.Preflight.Databases;

public sealed class PostgresChecksTests(Postgres postgres, ITestOutputHelper output) : IClassFixture<Postgres>
{
    private async Task<GroupRun> RunAsync(string? password = Postgres.Password, string database = Postgres.Database, int? port = null, string user = Postgres.User)
    {
        var dto = new DatabaseServerDto
        {
            Id = 7, Kind = DatabaseKind.PostgreSql, Alias = "AppDB", Host = postgres.Host, Port = port ?? postgres.Port,
            DatabaseName = database, Username = user,
        };
        var secrets = password is null ? new Dictionary<string, string>() : new() { ["databases[0].password"] = password };
        var group = Assert.Single(new DatabaseChecks(GroupRun.Bound()).Groups(GroupRun.Inputs(new AnswerFileDocument { Databases = [dto] }, secrets)));
        var run = await GroupRun.RunAsync(group);
        run.Log(output);
        return run;
    }

    [Fact]
    public async Task Group_AgainstRealServer_PassesEveryCheckAndNamesTheVersion()
    {
        var run = await RunAsync();

        Assert.Equal("databases:7", run.Group.Owner);
        Assert.Equal(["databases.appdb.connect", "databases.appdb.login", "databases.appdb.database"], run.Group.Checks.Select(c => c.Id));
        Assert.All(run.Outcomes.Values, o => Assert.Equal(CheckStatus.Passed, o.Status));
        Assert.Contains("PostgreSQL 15", run["databases.appdb.database"].Message);
        Assert.StartsWith("PostgreSQL 15", run["databases.appdb.database"].Detail);
        Assert.True(run.Elapsed < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Login_WithWrongPassword_FailsAtPasswordFieldWithoutTheSecret()
    {
        var run = await RunAsync(password: "not-the-password");

        var login = run["databases.appdb.login"];
        Assert.Equal(CheckStatus.Failed, login.Status);
        Assert.Equal("password", login.Field);
        Assert.Contains("login refused for user app", login.Message);
        Assert.DoesNotContain("not-the-password", login.Message);
        Assert.Equal(CheckStatus.Skipped, run["databases.appdb.database"].Status);
    }

    [Fact]
    public async Task Login_WithUnknownUser_FailsAtPasswordField()
    {
        var run = await RunAsync(user: "nobody");

        Assert.Equal(CheckStatus.Failed, run["databases.appdb.login"].Status);
        Assert.Equal("password", run["databases.appdb.login"].Field);
    }

    [Fact]
    public async Task Database_ThatDoesNotExist_FailsAtDatabaseNameAndListsTheOnesThere()
    {
        var run = await RunAsync(database: "appdb_typo");

        Assert.Equal(CheckStatus.Passed, run["databases.appdb.login"].Status);
        var database = run["databases.appdb.database"];
        Assert.Equal(CheckStatus.Failed, database.Status);
        Assert.Equal("databaseName", database.Field);
        Assert.Contains($"'appdb_typo' does not exist on 127.0.0.1:{postgres.Port}", database.Message);
        Assert.Contains("appdb, postgres, reports", database.Message);
    }

    [Fact]
    public async Task Server_Down_FailsAtHostAtOnceAndSkipsTheRest()
    {
        var run = await RunAsync(port: PeerProcess.FreePort());

        var connect = run["databases.appdb.connect"];
        Assert.Equal(CheckStatus.Failed, connect.Status);
        Assert.Equal("host", connect.Field);
        Assert.Contains("connection refused", connect.Message);
        Assert.Equal(CheckStatus.Skipped, run["databases.appdb.login"].Status);
        Assert.True(run.Elapsed < TimeSpan.FromSeconds(1), $"took {run.Elapsed}");
    }

    [Fact]
    public async Task Server_ThatNeverAnswers_FailsAtHostWithinTheBound()
    {
        using var silent = GroupRun.SilentServer();

        var run = await RunAsync(port: GroupRun.PortOf(silent));

        Assert.Equal(CheckStatus.Passed, run["databases.appdb.connect"].Status);
        var login = run["databases.appdb.login"];
        Assert.Equal(CheckStatus.Failed, login.Status);
        Assert.Equal("host", login.Field);
        Assert.Contains("No answer from PostgreSQL AppDB", login.Message);
        Assert.InRange(run.Elapsed, TimeSpan.FromSeconds(3), run.Group.Timeout);
    }

    [Fact]
    public async Task Informix_ChecksReachAndWarnsThatTheLoginNeedsTheClient()
    {
        var dto = new DatabaseServerDto { Id = 3, Kind = DatabaseKind.Informix, Alias = "legacy", Host = postgres.Host, Port = postgres.Port, DatabaseName = "stores", Username = "informix" };
        var group = Assert.Single(new DatabaseChecks(GroupRun.Bound()).Groups(GroupRun.Inputs(new AnswerFileDocument { Databases = [dto] }, [])));

        var run = await GroupRun.RunAsync(group);

        Assert.Equal(CheckStatus.Passed, run["databases.legacy.connect"].Status);
        Assert.Equal(CheckStatus.Warning, run["databases.legacy.login"].Status);
        Assert.Contains("Informix client (CSDK)", run["databases.legacy.login"].Message);
        Assert.Equal(CheckSeverity.Warning, group.Checks[1].Severity);
    }

    [Fact]
    public async Task Informix_Down_FailsAtHost()
    {
        var dto = new DatabaseServerDto { Id = 3, Kind = DatabaseKind.Informix, Alias = "legacy", Host = "127.0.0.1", Port = PeerProcess.FreePort() };
        var group = Assert.Single(new DatabaseChecks(GroupRun.Bound()).Groups(GroupRun.Inputs(new AnswerFileDocument { Databases = [dto] }, [])));

        var run = await GroupRun.RunAsync(group);

        Assert.Equal(CheckStatus.Failed, run["databases.legacy.connect"].Status);
        Assert.Equal("host", run["databases.legacy.connect"].Field);
    }
}
