using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Runner.Appliance.Tests.Infrastructure;

/// <summary>Small helpers over the public HTTP API, used the way a script would use it.</summary>
public static class Api
{
    public const string AdminName = "admin";
    public const string AdminPassword = "first-admin-password";

    public static Task<HttpResponseMessage> SetupAsync(HttpClient client, string username = AdminName, string password = AdminPassword) =>
        client.PostAsJsonAsync("/api/v1/setup", new { username, password });

    public static Task<HttpResponseMessage> RequestTokenAsync(HttpClient client, string username, string password) =>
        client.PostAsJsonAsync("/api/v1/token", new { username, password });

    public static async Task<string> TokenAsync(HttpClient client, string username = AdminName, string password = AdminPassword)
    {
        var response = await RequestTokenAsync(client, username, password);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>Sets up the appliance and returns a client carrying the administrator's token.</summary>
    public static async Task<HttpClient> AdminClientAsync(this ApplianceHost host)
    {
        var client = host.CreateClient();
        Assert.Equal(HttpStatusCode.Created, (await SetupAsync(client)).StatusCode);
        return client.WithToken(await TokenAsync(client));
    }

    public static async Task CreateUserAsync(HttpClient admin, string username, string role, string password)
    {
        var response = await admin.PostAsJsonAsync("/api/v1/users", new { username, password, role });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    public static HttpClient WithToken(this HttpClient client, string token)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.Clone();
    }
}
