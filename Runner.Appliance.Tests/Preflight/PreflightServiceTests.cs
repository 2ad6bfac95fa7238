using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Runner.Appliance.Data;
using Runner.Appliance.Features.Architecture;
using Runner.Appliance.Features.Preflight;
using Runner.Appliance.Tests.Infrastructure;
using Runner.Appliance.Validation;

namespace Runner.Appliance.Tests.Preflight;

/// <summary>What pages and the API get from the preflight service: a start that returns at once, news to follow, what a check read stored where it belongs.</summary>
public sealed class PreflightServiceTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private readonly Gate _gate = new();
    private ApplianceHost _appliance = default!;
    private WebApplicationFactory<Program> _host = default!;

    public Task InitializeAsync()
    {
        _appliance = new ApplianceHost(_data.Path);
        _host = _appliance.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<IPreflightSource>(new GatedSource(_gate))));
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Start_ReturnsTheIdAtOnce_RefusesASecondStart_AndTheNewsFollowsItToItsEnd()
    {
        using var scope = _host.Services.CreateScope();
        var preflight = scope.ServiceProvider.GetRequiredService<PreflightService>();
        var finished = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var news = preflight.Subscribe(n => { if (n is PreflightFinished f) finished.TrySetResult(f.PreflightId); });

        var (outcome, id) = await preflight.StartAsync("tester");
        var second = await preflight.StartAsync("tester");
        Assert.Equal(id, preflight.Current?.Id);
        _gate.Open();

        Assert.True(outcome.Succeeded, outcome.Summary);
        Assert.Equal(OutcomeKind.Conflict, second.Outcome.Kind);
        Assert.Equal($"Preflight {id} is running; wait for it to finish.", second.Outcome.Message);
        Assert.Equal(id, await finished.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        await _host.Services.GetRequiredService<PreflightRunner>().WhenIdleAsync();
        var overview = await preflight.OverviewAsync();
        Assert.Equal((id, false), (overview.Report!.Id, overview.Report.Running));
        Assert.Null(preflight.Current);
    }

    [Fact]
    public async Task WhatAGroupReadOfAHypervisor_IsStoredByTheArchitectureFeature_ForTheRecap()
    {
        _gate.Open();
        using var scope = _host.Services.CreateScope();

        var (outcome, report) = await scope.ServiceProvider.GetRequiredService<PreflightService>().TestAsync("gated", "tester");

        Assert.True(outcome.Succeeded, outcome.Summary);
        Assert.Equal(CheckStatus.Passed, Assert.Single(report!.Checks).Status);
        await using var db = await _host.Services.GetRequiredService<IDbContextFactory<ApplianceDb>>().CreateDbContextAsync();
        var cluster = Assert.Single(await db.ClusterCapacities.ToListAsync());
        Assert.Equal(("vc", "C1", 12, 96), (cluster.Hypervisor, cluster.Cluster, cluster.PhysicalCores, cluster.RamGb));
        var datastore = Assert.Single(await db.DatastoreCapacities.ToListAsync());
        Assert.Equal(("vc", "DS1", 500L), (datastore.Hypervisor, datastore.Datastore, datastore.FreeGb));
    }

    [Fact]
    public void AFailingSubscriber_NeverSilencesTheOthers()
    {
        var notifier = new PreflightNotifier(NullLogger<PreflightNotifier>.Instance);
        var heard = new List<PreflightNews>();
        using var broken = notifier.Subscribe(_ => throw new InvalidOperationException("a closed circuit"));
        using var working = notifier.Subscribe(heard.Add);

        notifier.Publish(new PreflightFinished(7));
        notifier.Publish(new PreflightFinished(8));

        Assert.Equal([7, 8], heard.Select(n => n.PreflightId));
    }

    public async Task DisposeAsync()
    {
        _gate.Open();
        await _host.DisposeAsync();
        await _appliance.DisposeAsync();
        _data.Dispose();
    }

    private sealed class Gate
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Opened => _open.Task;

        public void Open() => _open.TrySetResult();
    }

    /// <summary>One group that answers when the test opens the gate, having read a hypervisor's capacity.</summary>
    private sealed class GatedSource(Gate gate) : IPreflightSource
    {
        public IEnumerable<CheckGroup> Groups(PreflightInputs inputs) => [new GatedGroup(gate)];
    }

    private sealed class GatedGroup : CheckGroup, IReadsCapacity
    {
        private readonly Gate _gate;

        public GatedGroup(Gate gate) : base("gated", TimeSpan.FromSeconds(30))
        {
            _gate = gate;
            Define("gated.check", "Test", "answers when let", CheckSeverity.Warning, null);
        }

        public CapacityReading? Reading { get; private set; }

        public override async Task RunAsync(CheckReport report, CancellationToken ct)
        {
            await _gate.Opened.WaitAsync(ct);
            Reading = new CapacityReading("vc", [new ClusterReading("C1", 12, 96)], [new DatastoreReading("DS1", 500)], DateTimeOffset.UtcNow);
            report.Report(Checks[0], CheckOutcome.Passed("let through"));
        }
    }
}
