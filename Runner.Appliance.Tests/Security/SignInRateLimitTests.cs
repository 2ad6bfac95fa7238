using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Security;

/// <summary>Sign-in attempts per client address (token and login form together), on the default setting: 10 at once, then one every 6 s.</summary>
public sealed class SignInRateLimitTests : AdminAppliance
{
    private static readonly TimeSpan Refill = TimeSpan.FromSeconds(6);

    [Fact]
    public async Task SignInsBeyondTheBucket_AreRefused_WithWhenToTryAgain_AndOtherRequestsGoOn()
    {
        var client = Host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var clock = Stopwatch.StartNew();
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 20; i++)
        {
            var response = await Api.RequestTokenAsync(client, $"nobody-{i}", "wrong-password-123");
            statuses.Add(response.StatusCode);
            refused ??= response.StatusCode == HttpStatusCode.TooManyRequests ? response : null;
        }
        var elapsed = clock.Elapsed;
        // Two posts of the form: a refill can let one through (at most one per 6 s), not both.
        var logins = new List<HttpResponseMessage>();
        for (var i = 0; i < 2; i++)
        {
            using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["Input.Username"] = "admin", ["Input.Password"] = "x" });
            logins.Add(await client.PostAsync("/account/login", form));
        }
        var page = await client.GetAsync("/account/login?reason=throttled");
        var api = await Admin.GetAsync("/api/v1/configuration");

        // The fixture's own sign-in took one attempt; the bucket refills by at most one per period that passed.
        var allowed = statuses.Count(s => s == HttpStatusCode.Unauthorized);
        Assert.InRange(allowed, 9, 9 + (int)(elapsed / Refill) + 1);
        Assert.Equal(20 - allowed, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        var retryAfter = int.Parse(refused!.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 6);
        Assert.StartsWith("Too many sign-in attempts from this address; try again in", (await Api.ProblemAsync(refused)).GetProperty("detail").GetString());
        Assert.Contains(logins, l => l.StatusCode == HttpStatusCode.SeeOther && l.Headers.Location?.ToString() == "/account/login?reason=throttled");
        Assert.Contains("Too many sign-in attempts from this address", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
    }
}
