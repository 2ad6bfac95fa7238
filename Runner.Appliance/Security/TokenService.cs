using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Runner.Appliance.Hosting;

namespace Runner.Appliance.Security;

public sealed record AccessToken(string Value, TimeSpan Lifetime);

/// <summary>Issues the bearer tokens of <c>POST /api/v1/token</c>.</summary>
public sealed class TokenService(TokenSigningKey signingKey, UserManager<ApplianceUser> users,
    IOptions<IdentityOptions> identity, IOptions<ApplianceOptions> options, TimeProvider clock)
{
    public const string Issuer = "runner-appliance";
    public const string Audience = "runner-appliance-api";

    public async Task<AccessToken> IssueAsync(ApplianceUser user)
    {
        var claimTypes = identity.Value.ClaimsIdentity;
        var lifetime = options.Value.TokenLifetime;
        var now = clock.GetUtcNow().UtcDateTime;
        var claims = new List<Claim>
        {
            new(claimTypes.UserIdClaimType, user.Id),
            new(claimTypes.UserNameClaimType, user.UserName ?? ""),
            new(claimTypes.SecurityStampClaimType, await users.GetSecurityStampAsync(user)),
            new(JwtRegisteredClaimNames.Jti, Guid.NewGuid().ToString("N")),
        };
        claims.AddRange((await users.GetRolesAsync(user)).Select(r => new Claim(claimTypes.RoleClaimType, r)));
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Subject = new ClaimsIdentity(claims),
            NotBefore = now,
            IssuedAt = now,
            Expires = now + lifetime,
            SigningCredentials = new SigningCredentials(signingKey.Key, SecurityAlgorithms.HmacSha256),
        };
        return new AccessToken(new JsonWebTokenHandler().CreateToken(descriptor), lifetime);
    }
}
