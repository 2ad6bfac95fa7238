namespace Runner.Appliance.Hosting;

/// <summary>
/// The one live-update pattern of the appliance: a notifier publishes view records; each subscriber
/// (an open page, an event stream) holds an <see cref="IDisposable"/> subscription and is called in
/// turn, isolated: one that throws is logged and never keeps the others from hearing the news.
/// </summary>
public sealed class Broadcast<T>(ILogger logger)
{
    private readonly Lock _gate = new();
    private Action<T>[] _handlers = [];

    public IDisposable Subscribe(Action<T> handler)
    {
        lock (_gate)
            _handlers = [.. _handlers, handler];
        return new Subscription(this, handler);
    }

    public void Publish(T news)
    {
        Action<T>[] handlers;
        lock (_gate)
            handlers = _handlers;
        foreach (var handler in handlers)
        {
            try
            {
                handler(news);
            }
#pragma warning disable CA1031 // one subscriber's bug must not silence the others
            catch (Exception e)
#pragma warning restore CA1031
            {
                logger.LogWarning(e, "A subscriber to {News} failed", typeof(T).Name);
            }
        }
    }

    public int Subscribers { get { lock (_gate) return _handlers.Length; } }

    private void Unsubscribe(Action<T> handler)
    {
        lock (_gate)
            _handlers = [.. _handlers.Where(h => h != handler)];
    }

    private sealed class Subscription(Broadcast<T> owner, Action<T> handler) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
                owner.Unsubscribe(handler);
        }
    }
}
