using System.Data.Common;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Runner.Appliance.Data;
using Runner.Appliance.Features.Operations;

namespace Runner.Appliance.Engine;

/// <summary>
/// The only writer of run events: a bounded channel in front of one loop that inserts whatever is
/// waiting (up to <see cref="BatchSize"/>) in one transaction, then hands the stored batch to the
/// notifier. A flush marker lets the engine wait until a role's events are all stored.
/// </summary>
public sealed class EventWriter(IDbContextFactory<ApplianceDb> dbFactory, RunNotifier notifier, ApplianceMetrics metrics, ILogger<EventWriter> logger)
    : BackgroundService
{
    public const int BatchSize = 4000;

    private readonly Channel<object> _channel = Channel.CreateBounded<object>(new BoundedChannelOptions(50_000)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    public ValueTask WriteAsync(RunEvent e, CancellationToken ct = default) => _channel.Writer.WriteAsync(e, ct);

    /// <summary>Completes once every event written before it is stored.</summary>
    public async Task FlushAsync(CancellationToken ct = default)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await _channel.Writer.WriteAsync(done, ct);
        await done.Task.WaitAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<RunEvent>(BatchSize);
        var markers = new List<TaskCompletionSource>();
        var reader = _channel.Reader;
        while (await WaitAsync(reader, stoppingToken))
        {
            while (batch.Count < BatchSize && reader.TryRead(out var item))
            {
                if (item is RunEvent e)
                    batch.Add(e);
                else
                    markers.Add((TaskCompletionSource)item);
            }
            if (batch.Count > 0 && Store(batch))
                foreach (var run in batch.GroupBy(e => e.RunId))
                    notifier.Stored(run.Key, [.. run]);
            foreach (var marker in markers)
                marker.TrySetResult();
            batch.Clear();
            markers.Clear();
        }
    }

    private static async Task<bool> WaitAsync(ChannelReader<object> reader, CancellationToken stoppingToken)
    {
        try
        {
            return await reader.WaitToReadAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            // Shutting down: drain what is already queued, then stop.
            return reader.Count > 0;
        }
    }

    private const int RowsPerStatement = 1;
    private static readonly string[] Columns = ["Id", "RunId", "RoleRunId", "Attempt", "Seq", "At", "Type", "Host", "Task", "Status", "Text", "Json"];
    private long _lastId = -1;

    /// <summary>
    /// One transaction for the batch; one prepared single-row statement (measured faster here than
    /// multi-row VALUES, whose named parameters cost more to bind), with ids given here
    /// (this writer is the only one that inserts events). Synchronous on purpose: SQLite's async
    /// calls are sync underneath, and this loop is the writer's own.
    /// </summary>
    private bool Store(List<RunEvent> batch)
    {
        try
        {
            using var db = dbFactory.CreateDbContext();
            db.Database.OpenConnection();
            var connection = db.Database.GetDbConnection();
            if (_lastId < 0)
            {
                using var max = connection.CreateCommand();
                max.CommandText = "SELECT coalesce(max(Id), 0) FROM RunEvents";
                _lastId = (long)max.ExecuteScalar()!;
            }
            var next = _lastId;
            using var transaction = connection.BeginTransaction();
            DbCommand? full = null;
            for (var start = 0; start < batch.Count; start += RowsPerStatement)
            {
                var rows = Math.Min(RowsPerStatement, batch.Count - start);
                using var partial = rows == RowsPerStatement ? null : Insert(connection, transaction, rows);
                var command = partial ?? (full ??= Insert(connection, transaction, RowsPerStatement));
                for (var r = 0; r < rows; r++)
                {
                    var e = batch[start + r];
                    e.Id = ++next;
                    Set(command.Parameters, r * Columns.Length, e.Id, e.RunId, e.RoleRunId, e.Attempt, e.Seq,
                        e.At.ToString(@"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFFzzz", System.Globalization.CultureInfo.InvariantCulture),
                        e.Type, e.Host, e.Task, e.Status, e.Text, e.Json);
                }
                command.ExecuteNonQuery();
            }
            full?.Dispose();
            transaction.Commit();
            _lastId = next;
            metrics.EventsIngested.Inc(batch.Count);
            return true;
        }
#pragma warning disable CA1031 // the writer must outlive one bad batch; the loss is logged
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.LogError(ex, "Storing {Count} run events failed", batch.Count);
            _lastId = -1;
            return false;
        }
    }

    private static DbCommand Insert(DbConnection connection, DbTransaction transaction, int rows)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        var values = Enumerable.Range(0, rows).Select(r => $"({string.Join(", ", Columns.Select(c => $"$p{r}_{c}"))})");
        command.CommandText = $"INSERT INTO RunEvents ({string.Join(", ", Columns)}) VALUES {string.Join(", ", values)}";
        for (var r = 0; r < rows; r++)
            foreach (var column in Columns)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = $"$p{r}_{column}";
                command.Parameters.Add(parameter);
            }
        command.Prepare();
        return command;
    }

    private static void Set(DbParameterCollection parameters, int offset, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
            parameters[offset + i].Value = values[i] ?? DBNull.Value;
    }
}
