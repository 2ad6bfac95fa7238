using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;

namespace Runner.Appliance.Security;

/// <summary>The name recorded as "who" on every change (UpdatedBy, audit trail), from a page or the API.</summary>
public static class Actor
{
    public static string ActorName(this ClaimsPrincipal user) => user.Identity?.Name ?? "unknown";

    public static async Task<string> ActorNameAsync(this Task<AuthenticationState> state) => (await state).User.ActorName();
}
