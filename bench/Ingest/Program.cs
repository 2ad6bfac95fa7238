// Event ingestion and delivery of the deployment engine, measured on the real classes:
// synthetic jsonevents callback lines → EventParser (with secret masking) → EventWriter (bounded
// channel, batched SQLite inserts) → RunNotifier (what a subscribed circuit receives).
//   1. ingestion: N lines as fast as possible; events/s from the first write to the last stored.
//   2. latency: 1,000 events/s for a few seconds; time from a line's production to its delivery by
//      the notifier; p50 / p95 / p99.
// Every event must be stored and delivered, or the bench fails. --smoke (what ./test.sh runs): 2,000
// events, then 1 s at 500 events/s; figures printed, not kept.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Runner.Appliance.Data;
using Runner.Appliance.Engine;
using Runner.Appliance.Features.Operations;
using Runner.Appliance.Hosting;
using Runner.Appliance.Security;

var smoke = args.Contains("--smoke");
var total = smoke ? 2000 : int.Parse(Environment.GetEnvironmentVariable("BENCH_EVENTS") ?? "200000", CultureInfo.InvariantCulture);
var rate = smoke ? 500 : int.Parse(Environment.GetEnvironmentVariable("BENCH_RATE") ?? "1000", CultureInfo.InvariantCulture);
var seconds = smoke ? 1 : int.Parse(Environment.GetEnvironmentVariable("BENCH_SECONDS") ?? "5", CultureInfo.InvariantCulture);
var root = Directory.CreateTempSubdirectory("runner-ingest-").FullName;
try
{
    var data = new DataDirectory(root);
    var options = new DbContextOptionsBuilder<ApplianceDb>().UseSqlite(data.ConnectionString).AddInterceptors(new SqlitePragmas()).Options;
    var factory = new Factory(options);
    await using (var db = factory.CreateDbContext())
    {
        await db.Database.MigrateAsync();
        db.DeploymentRuns.Add(new DeploymentRun { Status = RunStatus.Running, StartedBy = "bench", CreatedAt = DateTimeOffset.UtcNow, Roles = [new RoleRun { Order = 1, Role = "bench", Status = RoleStatus.Running }] });
        await db.SaveChangesAsync();
    }
    var notifier = new RunNotifier(NullLogger<RunNotifier>.Instance);
    var writer = new EventWriter(factory, notifier, new ApplianceMetrics(data), NullLogger<EventWriter>.Instance);
    await writer.StartAsync(CancellationToken.None);
    var masker = new SecretMasker(Enumerable.Range(0, 20).Select(i => $"secret-value-{i:00}-{Guid.NewGuid():N}"));
    var outcome = new RoleOutcome();

    // 0. the parser alone (with masking), to see which side limits ingestion
    var lines = Enumerable.Range(1, total).Select(Line).ToArray();
    var parseClock = Stopwatch.StartNew();
    foreach (var line in lines)
        EventParser.Parse(line, false, masker, outcome, DateTimeOffset.UtcNow);
    parseClock.Stop();

    // 1. ingestion
    var stored = 0L;
    using var counting = notifier.Subscribe(news =>
    {
        if (news is RunEventsStored batch)
            Interlocked.Add(ref stored, batch.Events.Count);
    });
    var clock = Stopwatch.StartNew();
    foreach (var line in lines)
    {
        var e = EventParser.Parse(line, false, masker, outcome, DateTimeOffset.UtcNow);
        (e.RunId, e.RoleRunId, e.Attempt) = (1, 1, 1);
        await writer.WriteAsync(e);
    }
    await writer.FlushAsync();
    clock.Stop();
    var ingestion = total / clock.Elapsed.TotalSeconds;

    // 2. latency at a steady rate
    var sent = new Dictionary<int, long>();
    var latencies = new List<double>();
    var gate = new Lock();
    using var timing = notifier.Subscribe(news =>
    {
        if (news is not RunEventsStored batch)
            return;
        var now = Stopwatch.GetTimestamp();
        lock (gate)
            foreach (var e in batch.Events)
                if (sent.TryGetValue(e.Seq, out var at))
                    latencies.Add(Stopwatch.GetElapsedTime(at, now).TotalMilliseconds);
    });
    var count = rate * seconds;
    var interval = TimeSpan.FromSeconds(1.0 / rate);
    var start = Stopwatch.GetTimestamp();
    for (var i = 0; i < count; i++)
    {
        var due = start + (long)(i * interval.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < due)
            await Task.Yield();
        var seq = total + i + 1;
        lock (gate)
            sent[seq] = Stopwatch.GetTimestamp();
        var e = EventParser.Parse(Line(seq), false, masker, outcome, DateTimeOffset.UtcNow);
        (e.RunId, e.RoleRunId, e.Attempt) = (1, 1, 1);
        await writer.WriteAsync(e);
    }
    await writer.FlushAsync();
    await writer.StopAsync(CancellationToken.None);
    if (Interlocked.Read(ref stored) != total + count || latencies.Count != count)
        throw new InvalidOperationException($"Events lost: {total + count} written, {Interlocked.Read(ref stored)} stored, {latencies.Count} of the {count} timed ones delivered.");
    latencies.Sort();
    double P(double q) => latencies[(int)Math.Min(latencies.Count - 1, Math.Ceiling(q * latencies.Count) - 1)];
    var result = new
    {
        events = total,
        ingestion_events_per_s = Math.Round(ingestion),
        ingestion_seconds = Math.Round(clock.Elapsed.TotalSeconds, 2),
        parse_only_events_per_s = Math.Round(total / parseClock.Elapsed.TotalSeconds),
        stored = Interlocked.Read(ref stored),
        latency_rate_per_s = rate,
        latency_events = latencies.Count,
        latency_p50_ms = Math.Round(P(0.50), 2),
        latency_p95_ms = Math.Round(P(0.95), 2),
        latency_p99_ms = Math.Round(P(0.99), 2),
        targets = new { ingestion_events_per_s = 50000, latency_p95_ms = 250 },
    };
    var json = JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true });
    Console.WriteLine(json);
    if (smoke)
        return;
    var results = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "results");
    Directory.CreateDirectory(results);
    await File.WriteAllTextAsync(Path.Combine(results, "ingest.json"), json);
}
finally
{
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    Directory.Delete(root, recursive: true);
}

static string Line(int seq) =>
    $$"""{"seq": {{seq}}, "ts": "2026-11-22T23:00:03.499+00:00", "event": "runner_on_ok", "pid": 11344, "play": "Run role install-kafka", "host": "prod-rke2-middleware-agent-0{{seq % 6 + 1}}", "status": "changed", "changed": true, "duration_s": 0.095, "no_log": false, "task": "install-kafka : Render the broker configuration {{seq % 40}}", "task_uuid": "02fc0000-0001-1e1d-75b9-000000000006", "action": "ansible.builtin.template", "role": "install-kafka", "task_path": "/opt/runner/ansible/roles/install-kafka/tasks/main.yml:12", "msg": "All items completed for broker {{seq}}"}""";

internal sealed class Factory(DbContextOptions<ApplianceDb> options) : IDbContextFactory<ApplianceDb>
{
    public ApplianceDb CreateDbContext() => new(options);
}
