using Npgsql;
using Runner.Appliance.Features.Configuration.Collections;
using Runner.Appliance.Features.Services;

namespace Runner.Appliance.Features.Preflight.Databases;

/// <summary>One PostgreSQL server: TCP reach, the login, the database (and the server version).</summary>
internal sealed class PostgresCheckGroup : CheckGroup
{
    private readonly DatabaseServerDto _dto;
    private readonly string? _password;
    private readonly CheckDefinition _connect;
    private readonly CheckDefinition _login;
    private readonly CheckDefinition _database;

    public PostgresCheckGroup(DatabaseServerDto dto, string? password, TimeSpan timeout) : base(ItemKinds.Databases.Owner(dto.Id), timeout)
    {
        _dto = dto;
        _password = password;
        var endpoint = DatabaseChecks.Endpoint(dto);
        _connect = Define(DatabaseChecks.Id(dto, "connect"), "Databases", $"PostgreSQL {dto.Alias} answers on {endpoint}", CheckSeverity.Blocking, DatabaseChecks.Target(dto, "host"));
        _login = Define(DatabaseChecks.Id(dto, "login"), "Databases", $"PostgreSQL {dto.Alias} accepts user {dto.Username}", CheckSeverity.Blocking, DatabaseChecks.Target(dto, "password"));
        _database = Define(DatabaseChecks.Id(dto, "database"), "Databases", $"Database {dto.DatabaseName} exists on {dto.Alias}", CheckSeverity.Blocking, DatabaseChecks.Target(dto, "databaseName"));
    }

    private string Endpoint => DatabaseChecks.Endpoint(_dto);

    /// <summary>
    /// Whole seconds: Npgsql counts its own Timeout so, and does not stop waiting for the startup
    /// reply on the token, only on that Timeout.
    /// </summary>
    protected override TimeSpan Answer => TimeSpan.FromSeconds(Math.Max(1, Math.Floor(base.Answer.TotalSeconds)));

    public override Task RunAsync(CheckReport report, CancellationToken ct) => WithinAnswerAsync(report, async answer =>
        {
            Begin(_connect);
            var reached = await DatabaseChecks.ReachAsync(_dto.Host, DatabaseChecks.Port(_dto), $"PostgreSQL {_dto.Alias}", answer);
            if (reached.Status != CheckStatus.Passed)
            {
                Stop(report, _connect, reached, $"{Endpoint} cannot be reached.");
                return;
            }
            report.Report(_connect, reached);
            Begin(_login);
            await LoginAsync(report, answer);
        },
        () => CheckOutcome.Failed($"No answer from PostgreSQL {_dto.Alias} at {Endpoint} within {Answer.TotalSeconds:0.#} s: it accepts TCP but does not speak (a proxy, a firewall, or a hung server?).", "host"),
        $"{Endpoint} did not answer.", ct);

    private async Task LoginAsync(CheckReport report, CancellationToken ct)
    {
        try
        {
            await using var connection = new NpgsqlConnection(ConnectionString(_dto.DatabaseName));
            await connection.OpenAsync(ct);
            report.Report(_login, CheckOutcome.Passed($"User {_dto.Username} logged in to {Endpoint}."));
            Begin(_database);
            await using var command = new NpgsqlCommand("SELECT version()", connection);
            var version = (string?)await command.ExecuteScalarAsync(ct);
            report.Report(_database, CheckOutcome.Passed(
                $"Database '{_dto.DatabaseName}' is open on {Endpoint} (PostgreSQL {connection.PostgreSqlVersion}).", version));
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification)
        {
            // 28000 is also pg_hba refusing the client address: say both, the server does not tell which.
            var why = e.SqlState == PostgresErrorCodes.InvalidPassword ? "wrong password or unknown user"
                : $"no pg_hba.conf entry lets this user in from the appliance, or the user cannot log in ({e.MessageText})";
            Stop(report, _login, CheckOutcome.Failed($"PostgreSQL {_dto.Alias} at {Endpoint}: login refused for user {_dto.Username} ({why}).", "password"), "The login was refused.");
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
            // The server checks the password before the database name: the login itself is good.
            report.Report(_login, CheckOutcome.Passed($"User {_dto.Username} logged in to {Endpoint}."));
            Begin(_database);
            var visible = await VisibleDatabasesAsync(ct);
            report.Report(_database, CheckOutcome.Failed(
                $"Database '{_dto.DatabaseName}' does not exist on {Endpoint}{(visible.Count > 0 ? $"; databases {_dto.Username} can open there: {string.Join(", ", visible)}" : "")}.", "databaseName"));
        }
        catch (PostgresException e)
        {
            Stop(report, _login, CheckOutcome.Failed($"PostgreSQL {_dto.Alias} at {Endpoint} refused the session: {e.MessageText} (SQLSTATE {e.SqlState}).", "username"), "The session was refused.");
        }
        catch (NpgsqlException e) when (e.InnerException is TimeoutException)
        {
            throw new OperationCanceledException(e.Message, e);
        }
        catch (NpgsqlException e)
        {
            Stop(report, _login, CheckOutcome.Failed($"PostgreSQL {_dto.Alias} at {Endpoint}: {e.InnerException?.Message ?? e.Message}.", "host"), $"{Endpoint} did not complete the login.");
        }
    }

    /// <summary>Databases the user may open, read from the maintenance database; empty when that is refused too.</summary>
    private async Task<List<string>> VisibleDatabasesAsync(CancellationToken ct)
    {
        var names = new List<string>();
        try
        {
            await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand(
                "SELECT datname FROM pg_database WHERE datallowconn AND NOT datistemplate AND has_database_privilege(datname, 'CONNECT') ORDER BY datname LIMIT 20", connection);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                names.Add(reader.GetString(0));
        }
        catch (NpgsqlException)
        {
            // The list only helps the message; the failure itself is already known.
        }
        return names;
    }

    private string ConnectionString(string? database) => new NpgsqlConnectionStringBuilder
    {
        Host = _dto.Host,
        Port = DatabaseChecks.Port(_dto),
        Database = database,
        Username = _dto.Username,
        Password = _password,
        // Nothing must outlive the check: no pool keeping sessions open on the customer's server.
        Pooling = false,
        Timeout = (int)Answer.TotalSeconds,
        CommandTimeout = (int)Answer.TotalSeconds,
        ApplicationName = "runner-appliance-preflight",
    }.ConnectionString;
}
