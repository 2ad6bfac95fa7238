using Runner.Appliance.Hosting;

namespace Runner.Appliance.Security;

/// <summary>An account changed (deactivated, role changed, password reset).</summary>
public sealed record AccountChanged(string UserId);

/// <summary>
/// Tells live circuits that an account changed, so the affected user's open pages sign out at once
/// instead of at the next revalidation; through the one live-update pattern (<see cref="Broadcast{T}"/>).
/// </summary>
public sealed class AccountEvents(ILogger<AccountEvents> logger)
{
    private readonly Broadcast<AccountChanged> _news = new(logger);

    public IDisposable Subscribe(Action<AccountChanged> handler) => _news.Subscribe(handler);

    public void UserChanged(string userId) => _news.Publish(new AccountChanged(userId));
}
