using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Runner.Appliance.Hosting;

/// <summary>
/// Serving behind the site's reverse proxy: the configured path base, and the forwarded headers of
/// the configured proxies only (a client that sends X-Forwarded-Host itself is not believed).
/// </summary>
internal static class ReverseProxy
{
    public static WebApplication UseReverseProxy(this WebApplication app, ApplianceOptions options)
    {
        if (options.KnownProxies.Count > 0)
        {
            var forwarded = new ForwardedHeadersOptions
            {
                ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost | ForwardedHeaders.XForwardedPrefix,
                ForwardLimit = 1,
            };
            // The defaults trust loopback; only what the settings name is trusted.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in options.KnownProxies)
                if (proxy.Contains('/', StringComparison.Ordinal))
                    forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(proxy));
                else
                    forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
            app.UseForwardedHeaders(forwarded);
        }
        if (NormalizedPathBase(options.PathBase) is { } pathBase)
            app.UsePathBase(pathBase);
        app.Use(LocationsUnderThePathBase);
        return app;
    }

    /// <summary>
    /// A Location the app writes as a path from its root ("/api/v1/runs/3") is given the path base the
    /// request came under, so that a client behind the proxy can follow it.
    /// </summary>
    private static Task LocationsUnderThePathBase(HttpContext context, RequestDelegate next)
    {
        var pathBase = context.Request.PathBase;
        if (pathBase.HasValue)
            context.Response.OnStarting(() =>
            {
                var location = context.Response.Headers.Location.ToString();
                if (location.StartsWith('/') && !location.StartsWith("//", StringComparison.Ordinal) && !new PathString(location.Split('?')[0]).StartsWithSegments(pathBase))
                    context.Response.Headers.Location = pathBase + location;
                return Task.CompletedTask;
            });
        return next(context);
    }

    /// <summary>"/runner" from "runner", "/runner/" or "/runner"; null for none.</summary>
    public static string? NormalizedPathBase(string? pathBase) =>
        string.IsNullOrWhiteSpace(pathBase) || pathBase.Trim() == "/" ? null : "/" + pathBase.Trim().Trim('/');
}
