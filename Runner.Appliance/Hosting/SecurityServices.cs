using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Runner.Appliance.Data;
using Runner.Appliance.Security;

namespace Runner.Appliance.Hosting;

internal static class SecurityServices
{
    public const int MinimumPasswordLength = 12;
    public const int MaxFailedSignIns = 5;
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);

    public static IServiceCollection AddApplianceSecurity(this IServiceCollection services, ApplianceOptions options)
    {
        services.AddSingleton<ISecretProtector, SecretProtector>();
        services.AddSingleton<SecretStore>();
        services.AddSingleton<TokenSigningKey>();
        services.AddScoped<TokenService>();
        services.AddSingleton<AccountEvents>();
        services.AddScoped<AuthenticationStateProvider, CircuitAuthenticationStateProvider>();

        services.AddAuthentication(IdentityConstants.ApplicationScheme)
            .AddJwtBearer()
            .AddIdentityCookies();
        services.AddSingleton<IConfigureOptions<JwtBearerOptions>, JwtBearerSetup>();
        services.ConfigureApplicationCookie(cookie =>
        {
            cookie.LoginPath = "/account/login";
            cookie.LogoutPath = "/account/logout";
            cookie.AccessDeniedPath = "/account/access-denied";
            cookie.Cookie.Name = "runner.session";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.ExpireTimeSpan = options.IdleTimeout;
            cookie.SlidingExpiration = true;
        });
        // Every page load re-checks the account, so a deactivated user is refused at once.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.Zero);

        services.AddIdentityCore<ApplianceUser>(identity =>
            {
                identity.Password.RequiredLength = MinimumPasswordLength;
                identity.Password.RequireDigit = false;
                identity.Password.RequireLowercase = false;
                identity.Password.RequireUppercase = false;
                identity.Password.RequireNonAlphanumeric = false;
                identity.Password.RequiredUniqueChars = 4;
                identity.Lockout.MaxFailedAccessAttempts = MaxFailedSignIns;
                identity.Lockout.DefaultLockoutTimeSpan = LockoutDuration;
                identity.Lockout.AllowedForNewUsers = true;
                identity.SignIn.RequireConfirmedAccount = true; // "confirmed" = active, see ActiveUserConfirmation
                identity.ClaimsIdentity.UserIdClaimType = "sub";
                identity.ClaimsIdentity.UserNameClaimType = "name";
                identity.ClaimsIdentity.RoleClaimType = "role";
                identity.User.AllowedUserNameCharacters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._@";
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<ApplianceDb>()
            .AddSignInManager()
            .AddUserConfirmation<ActiveUserConfirmation>()
            .AddDefaultTokenProviders();

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.Admin, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Policies.Operate, p => p.RequireRole(Roles.Admin, Roles.Operator))
            .AddPolicy(Policies.View, p => p.RequireRole(Roles.Admin, Roles.Operator, Roles.Viewer));
        services.AddAntiforgery();
        services.AddSignInRateLimit(options.SignInAttemptsPerMinute);
        return services;
    }
}
