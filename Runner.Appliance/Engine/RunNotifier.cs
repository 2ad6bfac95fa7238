using Runner.Appliance.Hosting;

namespace Runner.Appliance.Engine;

/// <summary>One stored event as a log shows it (no raw record: that is fetched on demand).</summary>
public sealed record EventView(long Id, int RoleRunId, int Attempt, DateTimeOffset At, string Type, string? Host, string? Task, string? Status, string Text, int Seq = 0)
{
    public static EventView Of(RunEvent e) => new(e.Id, e.RoleRunId, e.Attempt, e.At, e.Type, e.Host, e.Task, e.Status, e.Text, e.Seq);
}

/// <summary>What subscribers to a run hear: events once they are stored, or that its status (or a role's) changed.</summary>
public abstract record RunNews(int RunId);

public sealed record RunEventsStored(int RunId, IReadOnlyList<EventView> Events) : RunNews(RunId);

public sealed record RunStatusChanged(int RunId) : RunNews(RunId);

/// <summary>
/// The only thing that pushes run news to subscribers (open pages, the server-sent events stream),
/// through the appliance's one live-update pattern (<see cref="Broadcast{T}"/>).
/// </summary>
public sealed class RunNotifier(ILogger<RunNotifier> logger)
{
    private readonly Broadcast<RunNews> _news = new(logger);

    public IDisposable Subscribe(Action<RunNews> handler) => _news.Subscribe(handler);

    internal void Stored(int runId, IReadOnlyList<RunEvent> events) => _news.Publish(new RunEventsStored(runId, [.. events.Select(EventView.Of)]));

    internal void Changed(int runId) => _news.Publish(new RunStatusChanged(runId));
}
