using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Runner.Appliance.Security;

/// <summary>
/// Bearer validation for <c>/api/v1/*</c>. Besides signature and lifetime, every token is checked
/// against the account: a deactivated user, or one whose role or password changed since the
/// token was issued (security stamp), is refused.
/// </summary>
internal sealed class JwtBearerSetup(TokenSigningKey signingKey, IOptions<IdentityOptions> identity)
    : IConfigureNamedOptions<JwtBearerOptions>
{
    public void Configure(string? name, JwtBearerOptions options)
    {
        if (name != JwtBearerDefaults.AuthenticationScheme)
            return;
        var claimTypes = identity.Value.ClaimsIdentity;
        options.MapInboundClaims = false;
        options.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = TokenService.Issuer,
            ValidAudience = TokenService.Audience,
            IssuerSigningKeyResolver = (_, _, _, _) => [signingKey.Key],
            NameClaimType = claimTypes.UserNameClaimType,
            RoleClaimType = claimTypes.RoleClaimType,
            ClockSkew = TimeSpan.FromSeconds(30),
        };
        options.Events = new JwtBearerEvents { OnTokenValidated = ValidateAccountAsync };
    }

    public void Configure(JwtBearerOptions options) => Configure(Options.DefaultName, options);

    private async Task ValidateAccountAsync(TokenValidatedContext context)
    {
        var users = context.HttpContext.RequestServices.GetRequiredService<UserManager<ApplianceUser>>();
        var claimTypes = identity.Value.ClaimsIdentity;
        var userId = context.Principal?.FindFirstValue(claimTypes.UserIdClaimType);
        var user = userId is null ? null : await users.FindByIdAsync(userId);
        if (user is null || !user.IsActive)
            context.Fail("The account is unknown or deactivated.");
        else if (context.Principal!.FindFirstValue(claimTypes.SecurityStampClaimType) != await users.GetSecurityStampAsync(user))
            context.Fail("The account changed since this token was issued; request a new token.");
    }
}
