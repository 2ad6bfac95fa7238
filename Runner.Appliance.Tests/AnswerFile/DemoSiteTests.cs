using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Runner.Appliance.Features.AnswerFile;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.AnswerFile;

/// <summary>The demo site: loads on an empty appliance only, through the same import, and names no address outside 127.0.0.0/8.</summary>
public sealed partial class DemoSiteTests : AdminAppliance
{
    [Fact]
    public async Task TheDemoSite_LoadsOnAnEmptyApplianceOnly_WithItsArchitecture()
    {
        var load = await Admin.PostAsync("/api/v1/answer-file/demo", null);
        var again = await Admin.PostAsync("/api/v1/answer-file/demo", null);

        Assert.Equal(HttpStatusCode.NoContent, load.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("loads only on an empty appliance", (await Api.ProblemAsync(again)).GetProperty("detail").GetString());
        Assert.Equal(3, (await Admin.GetFromJsonAsync<JsonElement>("/api/v1/zones")).GetArrayLength());
        Assert.Equal(35, (await Admin.GetFromJsonAsync<JsonElement>("/api/v1/virtual-machines")).GetArrayLength());
        var review = await Admin.GetFromJsonAsync<JsonElement>("/api/v1/preflight/gate");
        Assert.False(review.GetProperty("open").GetBoolean());
    }

    [Fact]
    public async Task TheDemoSite_IsTheFileInTheDocs_AndEveryAddressInItIsOnLoopback()
    {
        var shipped = await DemoSite.DocumentAsync();
        Assert.Equal(await File.ReadAllTextAsync(Repository.PathOf("docs", "examples", "demo-site.json")), shipped);

        using var document = JsonDocument.Parse(shipped);
        var texts = Strings(document.RootElement).ToList();
        var addresses = texts.SelectMany(t => Ipv4().Matches(t).Select(m => m.Value)).Distinct().ToList();
        var hosts = texts.Where(t => t.Contains("://", StringComparison.Ordinal)).Select(t => new Uri(t).Host)
            .Concat(Hosts(document.RootElement)).Distinct().ToList();

        Assert.NotEmpty(addresses);
        Assert.All(addresses, a => Assert.StartsWith("127.", a));
        Assert.NotEmpty(hosts);
        Assert.All(hosts, h => Assert.Matches(@"^127\.\d+\.\d+\.\d+$", h));
    }

    [Fact]
    public async Task APreflightOfTheDemoSite_RunsEveryCheck_AgainstThisMachineOnly()
    {
        Assert.Equal(HttpStatusCode.NoContent, (await Admin.PostAsync("/api/v1/answer-file/demo", null)).StatusCode);

        var preflight = await Admin.PostAsJsonAsync("/api/v1/preflight", new { });

        Assert.Equal(HttpStatusCode.OK, preflight.StatusCode);
        var checks = (await preflight.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("checks").EnumerateArray().ToList();
        Assert.True(checks.Count > 30, $"{checks.Count} checks");
        var messages = string.Join("\n", checks.Select(c => c.GetProperty("message").GetString()));
        Assert.DoesNotMatch(@"\b(?!127\.)\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b", messages);
    }

    private static IEnumerable<string> Strings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Strings),
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Strings(p.Value)),
        _ => [],
    };

    /// <summary>Every "host" field of the document (hypervisors, databases, SMTP relays).</summary>
    private static IEnumerable<string> Hosts(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Hosts),
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => p.Name == "host" && p.Value.ValueKind == JsonValueKind.String ? [p.Value.GetString()!] : Hosts(p.Value)),
        _ => [],
    };

    [GeneratedRegex(@"\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b")]
    private static partial Regex Ipv4();
}
