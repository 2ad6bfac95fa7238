using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Runner.Appliance.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Runner.Appliance.Tests.Hosting;

/// <summary>
/// Every operation of the OpenAPI document, sent what a careless or hostile client sends: nulls,
/// wrong types, empty and broken documents, oversize values, control characters, unknown enum
/// values, odd path and query values, the wrong media type. Whatever the input, the answer is
/// never a 5xx, and a refusal is problem details.
/// </summary>
public sealed class ApiFuzzTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string User = "fuzzed-user";
    private readonly TempDirectory _data = new();
    private ApplianceHost _host = default!;

    /// <summary>Real Kestrel on loopback, not the in-memory test server: what a client really meets (its limits, its parser).</summary>
    private HttpClient Admin { get; set; } = default!;

    public async Task InitializeAsync()
    {
        _host = new ApplianceHost(_data.Path, kestrel: true);
        Admin = new HttpClient { BaseAddress = _host.StartKestrel(), Timeout = TimeSpan.FromSeconds(60) };
        Assert.Equal(HttpStatusCode.Created, (await Api.SetupAsync(Admin)).StatusCode);
        Admin.WithToken(await Api.TokenAsync(Admin));
    }

    public Task DisposeAsync()
    {
        Admin.Dispose();
        _host.Dispose();
        _data.Dispose();
        return Task.CompletedTask;
    }

    private sealed record Case(string Operation, HttpMethod Method, string Url, HttpContent? Body, string What);

    [Fact]
    public async Task EveryOperation_AnswersBadInputWithoutAServerError()
    {
        await SeedAsync();
        using var document = JsonDocument.Parse(await Admin.GetStringAsync("/openapi/v1.json"));
        var schemas = document.RootElement.GetProperty("components").GetProperty("schemas");
        var operations = Operations(document.RootElement).ToList();
        var cases = operations.SelectMany(o => CasesFor(o.Method, o.Path, o.Operation, schemas)).ToList();

        var failures = new List<string>();
        var byStatus = new SortedDictionary<int, int>();
        foreach (var c in cases)
        {
            using var request = new HttpRequestMessage(c.Method, c.Url) { Content = c.Body };
            HttpResponseMessage response;
            try
            {
                response = await Admin.SendAsync(request);
            }
            catch (HttpRequestException e)
            {
                // Kestrel may close the connection on a body it refuses before reading it: that is an answer, not a crash.
                byStatus[0] = byStatus.GetValueOrDefault(0) + 1;
                output.WriteLine($"{c.Operation} [{c.What}]: connection closed ({e.HttpRequestError})");
                continue;
            }
            using var _ = response;
            var status = (int)response.StatusCode;
            byStatus[status] = byStatus.GetValueOrDefault(status) + 1;
            var body = await response.Content.ReadAsStringAsync();
            if (status >= 500)
                failures.Add($"{c.Operation} [{c.What}] → {status}: {Truncate(body)}");
            // A NUL in the path is refused by Kestrel's request-line parser, before the appliance sees the request.
            else if (status >= 400 && status != 401 && !(status == 400 && c.What.EndsWith("=%00", StringComparison.Ordinal))
                     && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                failures.Add($"{c.Operation} [{c.What}] → {status} without problem details: {Truncate(body)}");
        }

        output.WriteLine($"{operations.Count} operations × their cases = {cases.Count} requests; statuses: {string.Join(", ", byStatus.Select(s => $"{s.Key}×{s.Value}"))}");
        Assert.True(operations.Count >= 90, $"The OpenAPI document lists {operations.Count} operations; expected at least 90.");
        Assert.True(cases.Count >= 500, $"Only {cases.Count} cases.");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>Items to point the path parameters at, so that cases reach the handlers and not only the 404s.</summary>
    private async Task SeedAsync()
    {
        Assert.Equal(HttpStatusCode.NoContent, (await Admin.PutAsJsonAsync("/api/v1/configuration",
            new { environmentPrefix = "prod", baseDomain = "example.local", concurrentUsers = 800, products = new[] { "GCO" }, version = 0 })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsJsonAsync("/api/v1/hypervisors", new
        {
            kind = "VCenter", alias = "vc", host = "127.0.0.1", username = "administrator@vsphere.local", password = new { newValue = "fuzz-password" },
            datacenter = "DC0", cluster = "DC0_C0", datastore = "LocalDS_0", network = "VM Network", template = "rhel9",
        })).StatusCode);
        await Api.CreateUserAsync(Admin, User, "Operator", "fuzzed-user-password");
    }

    private static IEnumerable<(HttpMethod Method, string Path, JsonElement Operation)> Operations(JsonElement root) =>
        root.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => (Method: new HttpMethod(op.Name.ToUpperInvariant()), Path: path.Name, Operation: op.Value)))
            // Deletions last, so that the other cases find the seeded items.
            .OrderBy(o => o.Method == HttpMethod.Delete).ThenBy(o => o.Path, StringComparer.Ordinal);

    private static IEnumerable<Case> CasesFor(HttpMethod method, string path, JsonElement operation, JsonElement schemas)
    {
        var name = $"{method} {path}";
        var parameters = operation.TryGetProperty("parameters", out var p) ? [.. p.EnumerateArray()] : new List<JsonElement>();
        var url = Url(path, parameters, null, null);
        var bodySchema = operation.TryGetProperty("requestBody", out var rb) && rb.GetProperty("content").TryGetProperty("application/json", out var json)
            ? Resolve(json.GetProperty("schema"), schemas) : (JsonElement?)null;

        yield return new Case(name, method, url, bodySchema is null ? null : Json("{}"), "baseline");
        foreach (var parameter in parameters)
        {
            var (pname, where) = (parameter.GetProperty("name").GetString()!, parameter.GetProperty("in").GetString()!);
            var odd = where == "path" && IsInteger(parameter)
                ? new[] { "0", "-1", "2147483648", "abc", "1.5" }
                : ["abc", "-1", "99999999999999999999", "", new string('x', 300), "%00", "..%2F..%2Fetc"];
            foreach (var value in odd)
                yield return new Case(name, method, Url(path, parameters, pname, value), bodySchema is null ? null : Json("{}"), $"{where} {pname}={Truncate(value)}");
        }
        if (bodySchema is not { } schema)
            yield break;

        foreach (var (text, what) in new[]
                 {
                     ("", "empty body"), ("null", "null"), ("[]", "a list"), ("\"text\"", "a string"), ("42", "a number"), ("true", "a boolean"),
                     ("{\"a\":", "broken JSON"), ("{\"a\":1,}", "trailing comma"), (new string('[', 200) + new string(']', 200), "nesting 200 deep"),
                     ("{\"unknownField\":1}", "unknown field"), ("{\"" + new string('k', 5000) + "\":1}", "a 5,000-character field name"),
                 })
            yield return new Case(name, method, url, Json(text), what);
        yield return new Case(name, method, url, Json("{\"x\":\"" + new string('x', 17 * 1024 * 1024) + "\"}"), "a 17 MB body");
        yield return new Case(name, method, url, new StringContent("{}", Encoding.UTF8, "text/plain"), "text/plain");
        yield return new Case(name, method, url, new ByteArrayContent([0xff, 0xfe, 0x00, 0x7b]) { Headers = { ContentType = new("application/json") } }, "not UTF-8");

        if (!schema.TryGetProperty("properties", out var properties))
            yield break;
        foreach (var property in properties.EnumerateObject())
            foreach (var (value, what) in Mutations(Resolve(property.Value, schemas)))
                yield return new Case(name, method, url, Json($"{{\"{property.Name}\":{value}}}"), $"{property.Name} = {what}");
    }

    /// <summary>Values that do not fit the property: null, each wrong JSON kind, out of range, oversize, control characters.</summary>
    private static IEnumerable<(string Json, string What)> Mutations(JsonElement schema)
    {
        var types = Types(schema);
        yield return ("null", "null");
        if (types.Contains("string"))
        {
            yield return ("12345", "a number");
            yield return (JsonSerializer.Serialize(new string('x', 10 * 1024)), "10 KB of text");
            yield return ("\"a\\u0000b\\u001b[31m\"", "NUL and ESC");
            yield return ("\"two\\nlines\"", "a line break");
            if (schema.TryGetProperty("enum", out _))
                yield return ("\"zzz-not-a-value\"", "an unknown enum value");
        }
        if (types.Contains("integer") || types.Contains("number"))
        {
            yield return ("\"abc\"", "a text");
            yield return ("99999999999999999999", "an overflow");
            yield return ("-2147483649", "below int range");
            yield return ("1.5", "a fraction");
        }
        if (types.Contains("boolean"))
            yield return ("\"yes\"", "a text");
        if (types.Contains("array"))
        {
            yield return ("{\"x\":1}", "an object");
            yield return ("[null]", "a null element");
            yield return ("[\"x\", 5, {}]", "mixed elements");
        }
        if (types.Contains("object") || schema.TryGetProperty("properties", out _))
        {
            yield return ("\"text\"", "a text");
            yield return ("[]", "a list");
        }
    }

    private static HashSet<string> Types(JsonElement schema)
    {
        if (!schema.TryGetProperty("type", out var type))
            return schema.TryGetProperty("enum", out _) ? ["string"] : [];
        return type.ValueKind == JsonValueKind.Array ? [.. type.EnumerateArray().Select(t => t.GetString()!)] : [type.GetString()!];
    }

    private static JsonElement Resolve(JsonElement schema, JsonElement schemas)
    {
        while (schema.TryGetProperty("$ref", out var reference))
            schema = schemas.GetProperty(reference.GetString()!.Split('/')[^1]);
        return schema;
    }

    private static bool IsInteger(JsonElement parameter) =>
        parameter.TryGetProperty("schema", out var schema) && Types(schema).Contains("integer");

    private static string Url(string path, List<JsonElement> parameters, string? odd, string? oddValue)
    {
        var query = new List<string>();
        foreach (var parameter in parameters)
        {
            var name = parameter.GetProperty("name").GetString()!;
            var value = name == odd ? oddValue! : name switch { "username" => User, "role" => "testrole", _ => "1" };
            if (parameter.GetProperty("in").GetString() == "path")
                path = path.Replace($"{{{name}}}", name == odd ? value : Uri.EscapeDataString(value), StringComparison.Ordinal);
            else if (name == odd)
                query.Add($"{name}={value}");
        }
        return query.Count == 0 ? path : $"{path}?{string.Join("&", query)}";
    }

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
