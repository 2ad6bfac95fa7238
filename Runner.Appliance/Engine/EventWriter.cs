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
            if (batch.Count > 0)
                await StoreAsync(batch);
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

    private async Task StoreAsync(List<RunEvent> batch)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            await db.Database.OpenConnectionAsync();
            var connection = db.Database.GetDbConnection();
            await using var transaction = await connection.BeginTransactionAsync();
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO RunEvents (RunId, RoleRunId, Attempt, Seq, At, Type, Host, Task, Status, Text, Json)
                VALUES ($run, $role, $attempt, $seq, $at, $type, $host, $task, $status, $text, $json) RETURNING Id
                """;
            var p = new[] { "$run", "$role", "$attempt", "$seq", "$at", "$type", "$host", "$task", "$status", "$text", "$json" }
                .Select(name => { var parameter = command.CreateParameter(); parameter.ParameterName = name; command.Parameters.Add(parameter); return parameter; }).ToArray();
            await command.PrepareAsync();
            foreach (var e in batch)
            {
                Set(p, e.RunId, e.RoleRunId, e.Attempt, e.Seq, e.At.ToString(@"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFFzzz", System.Globalization.CultureInfo.InvariantCulture), e.Type, e.Host, e.Task, e.Status, e.Text, e.Json);
                e.Id = (long)(await command.ExecuteScalarAsync())!;
            }
            await transaction.CommitAsync();
            metrics.EventsIngested.Inc(batch.Count);
        }
#pragma warning disable CA1031 // the writer must outlive one bad batch; the loss is logged
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.LogError(ex, "Storing {Count} run events failed", batch.Count);
            return;
        }
        foreach (var run in batch.GroupBy(e => e.RunId))
            notifier.Stored(run.Key, [.. run]);
    }

    private static void Set(DbParameter[] parameters, params object?[] values)
    {
        for (var i = 0; i < parameters.Length; i++)
            parameters[i].Value = values[i] ?? DBNull.Value;
    }
}
