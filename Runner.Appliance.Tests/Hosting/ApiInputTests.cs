using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Hosting;

/// <summary>What the API says to input it cannot take: the field, what is wrong, what is expected.</summary>
public sealed class ApiInputTests : AdminAppliance
{
    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    private async Task<JsonElement> ErrorsAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        return (await Api.ProblemAsync(response)).GetProperty("errors");
    }

    [Fact]
    public async Task UnknownEnumValues_NameTheFieldAndTheAcceptedValues()
    {
        var hypervisor = await ErrorsAsync(await Admin.PostAsync("/api/v1/hypervisors", Json("""{"kind":"hyperv","alias":"hv"}""")));
        var database = await ErrorsAsync(await Admin.PostAsync("/api/v1/databases", Json("""{"kind":"mysql","alias":"db"}""")));
        var flow = await ErrorsAsync(await Admin.PostAsync("/api/v1/flows", Json("""{"protocol":"icmpx"}""")));
        var number = await ErrorsAsync(await Admin.PostAsync("/api/v1/flows", Json("""{"protocol":2}""")));

        Assert.Equal("'hyperv' is not accepted here; expected one of VCenter, Esxi, Nutanix.", hypervisor.GetProperty("kind")[0].GetString());
        Assert.Equal("'mysql' is not accepted here; expected one of PostgreSql, Informix.", database.GetProperty("kind")[0].GetString());
        Assert.Equal("'icmpx' is not accepted here; expected one of Tcp, Udp, Icmp.", flow.GetProperty("protocol")[0].GetString());
        Assert.Equal("Expected one of Tcp, Udp, Icmp (in quotes); got the number 2.", number.GetProperty("protocol")[0].GetString());
    }

    [Fact]
    public async Task WrongTypes_AreAllNamed_WithTheTypeExpected()
    {
        var errors = await ErrorsAsync(await Admin.PutAsync("/api/v1/configuration",
            Json("""{"environmentPrefix":5,"baseDomain":"example.local","concurrentUsers":"abc","products":"GCO","version":99999999999}""")));

        Assert.Equal(["concurrentUsers", "environmentPrefix", "products", "version"], errors.EnumerateObject().Select(e => e.Name).Order());
        Assert.Equal("Expected a whole number from -2,147,483,648 to 2,147,483,647; got a text.", errors.GetProperty("concurrentUsers")[0].GetString());
        Assert.Equal("Expected a text (in quotes); got the number 5.", errors.GetProperty("environmentPrefix")[0].GetString());
        Assert.Equal("Expected a list [ … ]; got a text.", errors.GetProperty("products")[0].GetString());
        Assert.StartsWith("Out of range: expected a whole number", errors.GetProperty("version")[0].GetString());
        Assert.Equal(0, (await Admin.GetFromJsonAsync<JsonElement>("/api/v1/configuration")).GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task NullsAndNullElements_WhereNoneIsAllowed_AreNamedByPath()
    {
        var errors = await ErrorsAsync(await Admin.PostAsync("/api/v1/zones", Json("""{"name":"DMZ","vlanId":null,"dnsServers":[null,"127.0.0.1"]}""")));

        Assert.StartsWith("Must not be null", errors.GetProperty("vlanId")[0].GetString());
        Assert.StartsWith("Must not be null", errors.GetProperty("dnsServers[0]")[0].GetString());
    }

    [Theory]
    [InlineData("POST", "/api/v1/hypervisors")]
    [InlineData("PUT", "/api/v1/configuration")]
    [InlineData("PUT", "/api/v1/security")]
    [InlineData("POST", "/api/v1/runs")]
    [InlineData("POST", "/api/v1/preflight")]
    [InlineData("POST", "/api/v1/users")]
    [InlineData("POST", "/api/v1/token")]
    [InlineData("PUT", "/api/v1/answer-file")]
    public async Task MalformedJson_SaysWhereItBreaks_OnEveryEndpoint(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = Json("{\n  \"a\": 1,\n  \"b\" 2\n}") };

        var errors = await ErrorsAsync(await Admin.SendAsync(request));

        Assert.StartsWith("The JSON is broken at line 3, position 7:", errors.GetProperty("$")[0].GetString());
    }

    [Fact]
    public async Task UnknownFields_AreNamed_WithTheFieldsThatExist()
    {
        var errors = await ErrorsAsync(await Admin.PostAsync("/api/v1/zones", Json("""{"name":"DMZ","vlan":12}""")));

        Assert.StartsWith("Unknown field 'vlan'; the fields here are ", errors.GetProperty("vlan")[0].GetString());
        Assert.Contains("vlanId", errors.GetProperty("vlan")[0].GetString());
    }

    [Fact]
    public async Task ATooLargeBody_Gets413WithTheLimit_AndAnAnswerFileMayBeLarger()
    {
        var huge = "{\"name\":\"" + new string('x', 2 * 1024 * 1024) + "\"}";

        var zone = await Admin.PostAsync("/api/v1/zones", Json(huge));
        var answerFile = await Admin.PutAsync("/api/v1/answer-file", Json(huge));
        var tooLargeAnswerFile = await Admin.PutAsync("/api/v1/answer-file", Json("{\"x\":\"" + new string('x', 40 * 1024 * 1024) + "\"}"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, zone.StatusCode);
        Assert.Equal("The request body is larger than the 1 MB this endpoint accepts.", (await Api.ProblemAsync(zone)).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, answerFile.StatusCode); // read, then refused for what it says
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLargeAnswerFile.StatusCode);
        Assert.Contains("16 MB", (await Api.ProblemAsync(tooLargeAnswerFile)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task AChunkedBodyOverTheLimit_Gets413_Too()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("{\"name\":\"" + new string('x', 2 * 1024 * 1024) + "\"}"));
        using var content = new StreamContent(stream) { Headers = { ContentType = new("application/json") } };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/zones") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var response = await Admin.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task TextPlain_Gets415_AndAWrongMethod405_AndAnUnknownRoute404()
    {
        var plain = await Admin.PostAsync("/api/v1/zones", new StringContent("{}", Encoding.UTF8, "text/plain"));
        var method = await Admin.PatchAsync("/api/v1/zones/1", Json("{}"));
        var unknown = await Admin.GetAsync("/api/v1/no-such-thing");
        var fileLike = await Admin.DeleteAsync("/api/v1/zones/1.5");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, plain.StatusCode);
        Assert.Contains("Content-Type: application/json", (await Api.ProblemAsync(plain)).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.MethodNotAllowed, method.StatusCode);
        Assert.Equal("DELETE, GET, PUT", string.Join(", ", method.Content.Headers.Allow));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("There is no API route GET /api/v1/no-such-thing", (await Api.ProblemAsync(unknown)).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.NotFound, fileLike.StatusCode);
        await Api.ProblemAsync(fileLike);
    }

    [Theory]
    [InlineData("description", "a\u0000b", "control character (U+0000)")]
    [InlineData("description", "\u001b[31mred", "control character (U+001B)")]
    [InlineData("name", "two\nlines", "single line")]
    public async Task ControlCharacters_AreRefusedByField(string field, string value, string expected)
    {
        var body = new Dictionary<string, object?> { ["name"] = "DMZ", [field] = value };

        var errors = await ErrorsAsync(await Admin.PostAsJsonAsync("/api/v1/zones", body));

        Assert.Contains(expected, errors.GetProperty(field)[0].GetString());
    }

    [Fact]
    public async Task LongTexts_AreRefusedWithTheLimit_AndTheOpenApiDocumentNamesIt()
    {
        var description = await ErrorsAsync(await Admin.PostAsJsonAsync("/api/v1/zones", new { name = "DMZ", description = new string('d', 10 * 1024) }));
        var reason = await ErrorsAsync(await Admin.PostAsJsonAsync("/api/v1/runs", new { overrideReason = new string('r', 10 * 1024) }));
        using var openApi = JsonDocument.Parse(await Admin.GetStringAsync("/openapi/v1.json"));
        var zone = openApi.RootElement.GetProperty("components").GetProperty("schemas").GetProperty("ZoneDto").GetProperty("properties");

        Assert.Equal("Too long: 10,240 characters; at most 255 are accepted.", description.GetProperty("description")[0].GetString());
        Assert.Equal("Too long: 10,240 characters; at most 500 are accepted.", reason.GetProperty("overrideReason")[0].GetString());
        Assert.Equal(255, zone.GetProperty("description").GetProperty("maxLength").GetInt32());
        Assert.Equal("^[^\\u0000-\\u001F\\u007F]*$", zone.GetProperty("description").GetProperty("pattern").GetString());
    }

    [Fact]
    public async Task EveryApiAnswer_CarriesNoStore()
    {
        var configuration = await Admin.GetAsync("/api/v1/configuration");
        var security = await Admin.GetAsync("/api/v1/security");
        var problem = await Admin.GetAsync("/api/v1/runs/999");

        foreach (var response in new[] { configuration, security, problem })
            Assert.Contains("no-store", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task EventsOfAMissingRun_Are404_AndUnknownCheckIds_AreNamed()
    {
        var events = await Admin.GetAsync("/api/v1/runs/999/events");
        var stream = await Admin.GetAsync("/api/v1/runs/999/events/stream");
        var checks = await ErrorsAsync(await Admin.PostAsJsonAsync("/api/v1/preflight", new { checks = new[] { "no.such.check", "configuration.complete", "other.one" } }));

        Assert.Equal(HttpStatusCode.NotFound, events.StatusCode);
        Assert.Equal("There is no run 999.", (await Api.ProblemAsync(events)).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.NotFound, stream.StatusCode);
        Assert.Equal("No check has the ids 'no.such.check', 'other.one'; GET /api/v1/preflight/latest lists every check with its id.", checks.GetProperty("checks")[0].GetString());
    }

    [Fact]
    public async Task AFlowsTest_AnswersWithItsCheck_EvenWhenTheAppliancecannotProbeIt()
    {
        Assert.Equal(HttpStatusCode.NoContent, (await Admin.PutAsJsonAsync("/api/v1/configuration",
            new { environmentPrefix = "prod", baseDomain = "example.local", concurrentUsers = 800, products = new[] { "GCO" }, version = 0 })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsJsonAsync("/api/v1/hypervisors", new
        {
            kind = "VCenter", alias = "vc", host = "127.0.0.1", username = "administrator@vsphere.local", password = new { newValue = "not-used" },
            datacenter = "DC0", cluster = "DC0_C0", datastore = "LocalDS_0", network = "VM Network", template = "rhel9",
        })).StatusCode);
        foreach (var zone in new[] { ("LAN_APPS", 100, "127.0.100"), ("DMZ", 300, "127.0.200") })
        {
            var response = await Admin.PostAsJsonAsync("/api/v1/zones", new
            {
                name = zone.Item1, vlanId = zone.Item2, subnet = $"{zone.Item3}.0/24", gateway = $"{zone.Item3}.1", dnsServers = new[] { "127.0.0.53" }, ntpServers = new[] { "127.0.0.123" }, hypervisor = "vc",
                rangeStart = $"{zone.Item3}.10", rangeEnd = $"{zone.Item3}.50",
            });
            Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        }
        var created = await Admin.PostAsJsonAsync("/api/v1/flows", new { source = "LAN_APPS", destination = "DMZ", protocol = "Tcp", ports = "443", description = "apps to dmz" });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();

        var test = await Admin.PostAsync($"/api/v1/flows/{id}/test", null);
        var missing = await Admin.PostAsync("/api/v1/flows/999/test", null);

        Assert.Equal(HttpStatusCode.OK, test.StatusCode);
        var check = (await test.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("checks")[0];
        Assert.Equal(($"flows.{id}.probe", "Skipped"), (check.GetProperty("id").GetString(), check.GetProperty("status").GetString()));
        Assert.Contains("this one starts in LAN_APPS", check.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
