using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Runner.Appliance.Security;

/// <summary>
/// Sign-in attempts (POST /api/v1/token and the login form) per client address: a bucket of
/// N attempts, refilled by one every 60/N seconds (N a minute on average, a burst of N at once).
/// The account lockout protects one account; this protects the appliance from a client that tries
/// many accounts, or floods the password hashing.
/// </summary>
public static class SignInRateLimit
{
    public const string ThrottledReason = "throttled";

    public static IServiceCollection AddSignInRateLimit(this IServiceCollection services, int permitsPerMinute) =>
        services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => IsSignIn(context.Request)
                ? RateLimitPartition.GetTokenBucketLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "local",
                    _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = permitsPerMinute, TokensPerPeriod = 1, ReplenishmentPeriod = TimeSpan.FromMinutes(1) / permitsPerMinute, QueueLimit = 0,
                    })
                : RateLimitPartition.GetNoLimiter(""));
            limiter.OnRejected = RejectAsync;
        });

    private static bool IsSignIn(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) && (request.Path.Equals("/api/v1/token", StringComparison.OrdinalIgnoreCase)
                                               || request.Path.Equals("/account/login", StringComparison.OrdinalIgnoreCase));

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken ct)
    {
        var context = rejected.HttpContext;
        var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
        var seconds = (int)Math.Ceiling(wait.TotalSeconds);
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        if (!context.Request.Path.StartsWithSegments("/api"))
        {
            // A person at the login form gets the form again with the reason, not an error document.
            context.Response.StatusCode = StatusCodes.Status303SeeOther;
            context.Response.Headers.Location = $"{context.Request.PathBase}/account/login?reason={ThrottledReason}";
            return;
        }
        await TypedResults.Problem($"Too many sign-in attempts from this address; try again in {seconds} s.",
            statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests").ExecuteAsync(context);
    }
}
