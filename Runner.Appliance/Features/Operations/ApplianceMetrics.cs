using Prometheus;
using Runner.Appliance.Hosting;

namespace Runner.Appliance.Features.Operations;

/// <summary>
/// The appliance's Prometheus registry. One per process (not the static default) so that each
/// test host counts only its own requests. Runs and events are counted by the deployment engine.
/// </summary>
public sealed class ApplianceMetrics
{
    public ApplianceMetrics(DataDirectory data)
    {
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);
        RunsFinished = factory.CreateCounter("runner_runs_finished_total", "Deployment runs that ended, by result.", "result");
        EventsIngested = factory.CreateCounter("runner_events_ingested_total", "Ansible events persisted by the event writer.");
        var databaseSize = factory.CreateGauge("runner_database_size_bytes", "Size of the SQLite store, WAL included.");
        Registry.AddBeforeCollectCallback(() => databaseSize.Set(SizeOf(data.DatabasePath) + SizeOf(data.DatabasePath + "-wal")));
    }

    public CollectorRegistry Registry { get; }

    public Counter RunsFinished { get; }

    public Counter EventsIngested { get; }

    private static long SizeOf(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;
}
