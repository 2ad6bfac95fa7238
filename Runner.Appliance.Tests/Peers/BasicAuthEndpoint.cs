using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Runner.Appliance.Tests.Peers;

/// <summary>
/// An in-test HTTP endpoint standing for an SMS gateway or a monitoring system (Debian packages
/// none that fits): Kestrel on loopback, http or https with a self-signed certificate, GET /api/send
/// answering 401 with a Basic challenge unless given <see cref="User"/> and <see cref="Password"/>, or
/// the bearer token <see cref="Token"/> (as a monitoring API with an API token). It records the
/// authentication scheme of each request.
/// </summary>
public sealed class BasicAuthEndpoint : IAsyncDisposable
{
    public const string User = "gateway";
    public const string Password = "gw-secret-42";
    public const string Token = "mon-Token-5d1e9a";

    private readonly WebApplication _app;
    private int _requests;

    private BasicAuthEndpoint(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>The scheme of each request's Authorization header ("Basic", "Bearer"), "" for none.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Schemes { get; } = new();

    /// <param name="https">Over a self-signed certificate (which the system store does not trust).</param>
    /// <param name="requireAuth">False: the endpoint answers 200 to anyone, as a gateway that checks credentials only on POST.</param>
    public static async Task<BasicAuthEndpoint> StartAsync(bool https = false, bool requireAuth = true)
    {
        BasicAuthEndpoint? self = null;
        var (app, port) = await LoopbackHttps.StartAsync(https ? LoopbackHttps.SelfSigned("sms.fake.local") : null, app =>
            app.MapGet("/api/send", (HttpContext context) =>
            {
                Interlocked.Increment(ref self!._requests);
                self.Schemes.Enqueue(context.Request.Headers.Authorization.ToString().Split(' ')[0]);
                if (requireAuth && !Authorized(context.Request))
                {
                    context.Response.Headers.WWWAuthenticate = "Basic realm=\"gateway\"";
                    return Results.Json(new { error = "unauthorized" }, statusCode: StatusCodes.Status401Unauthorized);
                }
                return Results.Json(new { status = "ready" });
            }));
        self = new BasicAuthEndpoint(app, new Uri($"{(https ? "https" : "http")}://127.0.0.1:{port}/api/send"));
        return self;
    }

    private static bool Authorized(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        try
        {
            return header == $"Bearer {Token}" || (header.StartsWith("Basic ", StringComparison.Ordinal)
                && Encoding.UTF8.GetString(Convert.FromBase64String(header[6..])) == $"{User}:{Password}");
        }
        catch (FormatException)
        {
            return false;
        }
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
