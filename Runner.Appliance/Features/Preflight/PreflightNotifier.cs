using Runner.Appliance.Hosting;

namespace Runner.Appliance.Features.Preflight;

/// <summary>News of one preflight, as open pages follow it.</summary>
public abstract record PreflightNews(int PreflightId);

/// <summary>One check of the preflight has a new state: running, or its result.</summary>
public sealed record CheckChanged(int PreflightId, PreflightCheckView Check) : PreflightNews(PreflightId);

/// <summary>The preflight is over: stored, or ended by an error.</summary>
public sealed record PreflightFinished(int PreflightId) : PreflightNews(PreflightId);

/// <summary>
/// The only thing that pushes preflight news to subscribers (open pages). Each subscriber holds an
/// <see cref="IDisposable"/> subscription and is called in isolation: one that throws never keeps the others from hearing.
/// </summary>
public sealed class PreflightNotifier(ILogger<PreflightNotifier> logger)
{
    private readonly Broadcast<PreflightNews> _news = new(logger);

    public IDisposable Subscribe(Action<PreflightNews> handler) => _news.Subscribe(handler);

    internal void Publish(PreflightNews news) => _news.Publish(news);
}
