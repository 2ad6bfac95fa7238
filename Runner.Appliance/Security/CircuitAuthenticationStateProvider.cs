using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Runner.Appliance.Hosting;

namespace Runner.Appliance.Security;

/// <summary>
/// Keeps a circuit's user honest: re-checks the account periodically and signs the circuit out
/// immediately when <see cref="AccountEvents"/> reports a change to its user.
/// </summary>
internal sealed class CircuitAuthenticationStateProvider : RevalidatingServerAuthenticationStateProvider
{
    private static readonly AuthenticationState Anonymous = new(new ClaimsPrincipal(new ClaimsIdentity()));
    private readonly IServiceScopeFactory _scopes;
    private readonly IOptions<IdentityOptions> _identity;
    private readonly TimeSpan _interval;
    private readonly IDisposable _subscription;

    public CircuitAuthenticationStateProvider(ILoggerFactory loggerFactory, IServiceScopeFactory scopes,
        IOptions<IdentityOptions> identity, IOptions<ApplianceOptions> options, AccountEvents events)
        : base(loggerFactory)
    {
        _scopes = scopes;
        _identity = identity;
        _interval = options.Value.UserRevalidationInterval;
        _subscription = events.Subscribe(OnUserChanged);
    }

    protected override TimeSpan RevalidationInterval => _interval;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken cancellationToken)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplianceUser>>();
        var user = await users.GetUserAsync(state.User);
        if (user is null || !user.IsActive)
            return false;
        var stamp = state.User.FindFirstValue(_identity.Value.ClaimsIdentity.SecurityStampClaimType);
        return stamp == await users.GetSecurityStampAsync(user);
    }

    private void OnUserChanged(AccountChanged change) => _ = SignOutIfCurrentAsync(change.UserId);

    private async Task SignOutIfCurrentAsync(string userId)
    {
        var state = await GetAuthenticationStateAsync();
        if (state.User.FindFirstValue(_identity.Value.ClaimsIdentity.UserIdClaimType) == userId)
            SetAuthenticationState(Task.FromResult(Anonymous));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _subscription.Dispose();
        base.Dispose(disposing);
    }
}
