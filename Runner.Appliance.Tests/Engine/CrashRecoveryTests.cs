using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Engine;

/// <summary>The appliance as its own process, killed with SIGKILL during a run, then started again.</summary>
public sealed class CrashRecoveryTests : IDisposable
{
    private readonly TempDirectory _data = new();
    private readonly TempDirectory _ansible = new();
    private Process? _appliance;

    [Fact]
    public async Task AKilledAppliance_LeavesAnInterruptedRun_WithEveryStoredEvent_ThatResumes()
    {
        EngineHost.CopyDirectory(Repository.PathOf("ansible"), _ansible.Path);
        var defaults = Path.Combine(_ansible.Path, "roles", "testrole", "defaults", "main.yml");
        await File.WriteAllTextAsync(defaults, "testrole_sleep_s: 60\n");
        var client = await StartAsync();
        Assert.Equal(HttpStatusCode.Created, (await Api.SetupAsync(client)).StatusCode);
        client.WithToken(await Api.TokenAsync(client));
        Assert.Equal(HttpStatusCode.NoContent, (await client.PutAsJsonAsync("/api/v1/configuration",
            new { environmentPrefix = "prod", baseDomain = "example.local", concurrentUsers = 800, products = new[] { "GCO" }, version = 0 })).StatusCode);
        var start = await client.PostAsJsonAsync("/api/v1/runs", new { roles = new[] { "testrole" }, overrideReason = EngineHost.OverrideReason });
        var id = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        await WaitForAsync(client, id, "started: [localhost] testrole : Long task");
        var before = await EventIdsAsync(client, id);

        _appliance!.Kill(entireProcessTree: false); // SIGKILL; ansible-playbook lives on in its own session
        await _appliance.WaitForExitAsync();
        Assert.NotEmpty(EngineTests.ProcessesMentioning(_data.Path));

        client = await StartAsync();
        client.WithToken(await Api.TokenAsync(client));
        var run = await client.GetFromJsonAsync<JsonElement>($"/api/v1/runs/{id}");
        var after = await EventIdsAsync(client, id);

        Assert.Equal("Interrupted", run.GetProperty("status").GetString());
        var role = run.GetProperty("roles")[0];
        Assert.Equal(("Failed", "interrupted: the appliance stopped during this role"), (role.GetProperty("status").GetString(), role.GetProperty("message").GetString()));
        Assert.Empty(before.Except(after));
        Assert.Empty(EngineTests.ProcessesMentioning(_data.Path));

        await File.WriteAllTextAsync(defaults, "testrole_sleep_s: 0\n");
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync($"/api/v1/runs/{id}/resume", null)).StatusCode);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        do
        {
            await Task.Delay(200);
            run = await client.GetFromJsonAsync<JsonElement>($"/api/v1/runs/{id}");
        }
        while (run.GetProperty("status").GetString() is "Running" or "Queued" && DateTime.UtcNow < deadline);
        Assert.Equal("Successful", run.GetProperty("status").GetString());
        Assert.Equal(2, run.GetProperty("roles")[0].GetProperty("attempts").GetInt32());
    }

    private async Task<HttpClient> StartAsync()
    {
        var port = FreePort();
        var binaries = Path.GetDirectoryName(typeof(Program).Assembly.Location)!;
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = binaries, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(binaries, "Runner.Appliance.dll"));
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Appliance__DataDirectory"] = _data.Path;
        start.Environment["Appliance__Engine__AnsibleDirectory"] = _ansible.Path;
        _appliance = Process.Start(start)!;
        _appliance.OutputDataReceived += (_, _) => { };
        _appliance.ErrorDataReceived += (_, _) => { };
        _appliance.BeginOutputReadLine();
        _appliance.BeginErrorReadLine();
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if ((await client.GetAsync("/healthz")).IsSuccessStatusCode)
                    return client;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("The appliance did not answer /healthz within 30 s.");
    }

    private static async Task WaitForAsync(HttpClient client, int id, string text)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            var events = await client.GetFromJsonAsync<JsonElement[]>($"/api/v1/runs/{id}/events");
            if (events!.Any(e => e.GetProperty("text").GetString()!.Contains(text, StringComparison.Ordinal)))
                return;
            await Task.Delay(100);
        }
        Assert.Fail($"No event said '{text}'.");
    }

    private static async Task<List<long>> EventIdsAsync(HttpClient client, int id) =>
        [.. (await client.GetFromJsonAsync<JsonElement[]>($"/api/v1/runs/{id}/events?limit=5000"))!.Select(e => e.GetProperty("id").GetInt64())];

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        if (_appliance is { HasExited: false })
            _appliance.Kill();
        _appliance?.Dispose();
        _data.Dispose();
        _ansible.Dispose();
    }
}
