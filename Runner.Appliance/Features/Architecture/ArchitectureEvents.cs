using Runner.Appliance.Hosting;

namespace Runner.Appliance.Features.Architecture;

/// <summary>The architecture changed (a generation or a hand edit): open pages reload.</summary>
public sealed record ArchitectureChanged;

/// <summary>Tells open pages that the architecture changed, through the one live-update pattern (<see cref="Broadcast{T}"/>).</summary>
public sealed class ArchitectureEvents(ILogger<ArchitectureEvents> logger)
{
    private static readonly ArchitectureChanged Changed = new();
    private readonly Broadcast<ArchitectureChanged> _news = new(logger);

    public IDisposable Subscribe(Action<ArchitectureChanged> handler) => _news.Subscribe(handler);

    public void Raise() => _news.Publish(Changed);
}
