using Npgsql;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Peers;

/// <summary>
/// A real PostgreSQL 15 (Debian) on 127.0.0.1 and a free port, in a temp dir, run as the postgres
/// OS user (it refuses root): a role <see cref="User"/> with a SCRAM password and its database
/// <see cref="Database"/>. TCP logins use scram-sha-256; the fixture itself uses the unix socket.
/// </summary>
public sealed class Postgres : IDisposable
{
    public const string User = "app";
    public const string Password = "app-secret";
    public const string Database = "appdb";
    public const string OtherDatabase = "reports";

    private const string Bin = "/usr/lib/postgresql/15/bin";
    private readonly TempDirectory _base = new();
    private readonly PeerProcess _server;

    public Postgres()
    {
        var data = Path.Combine(_base.Path, "data");
        PeerProcess.Run("chown", ["postgres:postgres", _base.Path]);
        PeerProcess.Run("runuser", ["-u", "postgres", "--", $"{Bin}/initdb", "-D", data, "-U", "postgres",
            "--auth-local=trust", "--auth-host=scram-sha-256", "--no-sync", "--encoding=UTF8", "--locale=C"]);
        Port = PeerProcess.FreePort();
        _server = new PeerProcess("runuser", ["-u", "postgres", "--", $"{Bin}/postgres", "-D", data,
            "-c", "listen_addresses=127.0.0.1", "-c", $"port={Port}", "-c", $"unix_socket_directories={_base.Path}",
            "-c", "fsync=off", "-c", "shared_buffers=16MB", "-c", "max_connections=20"]);
        _server.WaitForPort(Port);
        Admin($"CREATE ROLE {User} LOGIN PASSWORD '{Password}'", $"CREATE DATABASE {Database} OWNER {User}", $"CREATE DATABASE {OtherDatabase} OWNER {User}");
    }

    public string Host => "127.0.0.1";

    public int Port { get; }

    private void Admin(params string[] statements)
    {
        var builder = new NpgsqlConnectionStringBuilder { Host = _base.Path, Port = Port, Username = "postgres", Database = "postgres", Pooling = false };
        // The postmaster listens before it accepts sessions ("the database system is starting up").
        Eventually.Until(() =>
        {
            try
            {
                using var connection = new NpgsqlConnection(builder.ConnectionString);
                connection.Open();
                foreach (var statement in statements)
                {
                    using var command = new NpgsqlCommand(statement, connection);
                    command.ExecuteNonQuery();
                }
                return true;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.CannotConnectNow)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(10), "PostgreSQL to accept sessions", () => _server.Output);
    }

    public void Dispose()
    {
        try
        {
            PeerProcess.Run("runuser", ["-u", "postgres", "--", $"{Bin}/pg_ctl", "-D", Path.Combine(_base.Path, "data"), "-m", "immediate", "-w", "stop"]);
        }
        catch (InvalidOperationException)
        {
            // Already gone: the kill below is then a no-op.
        }
        _server.Dispose();
        _base.Dispose();
    }
}
