namespace Runner.Appliance.Security;

/// <summary>
/// Tells live circuits that an account changed (deactivated, role changed, password reset), so
/// the affected user's open pages sign out at once instead of at the next revalidation.
/// </summary>
public sealed class AccountEvents
{
    private readonly Lock _gate = new();
    private readonly List<Action<string>> _handlers = [];

    public IDisposable Subscribe(Action<string> onUserChanged)
    {
        lock (_gate)
            _handlers.Add(onUserChanged);
        return new Subscription(this, onUserChanged);
    }

    public void UserChanged(string userId)
    {
        Action<string>[] handlers;
        lock (_gate)
            handlers = [.. _handlers];
        foreach (var handler in handlers)
            handler(userId);
    }

    private void Unsubscribe(Action<string> handler)
    {
        lock (_gate)
            _handlers.Remove(handler);
    }

    private sealed class Subscription(AccountEvents owner, Action<string> handler) : IDisposable
    {
        public void Dispose() => owner.Unsubscribe(handler);
    }
}
