using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Runner.Appliance.Data;

/// <summary>
/// Sets the per-connection pragmas the appliance relies on. WAL lets the UI read while the event
/// writer writes; the busy timeout turns short lock waits into waits instead of errors.
/// Foreign keys are switched on by the connection string.
/// </summary>
public sealed class SqlitePragmas : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000; PRAGMA synchronous=NORMAL;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
