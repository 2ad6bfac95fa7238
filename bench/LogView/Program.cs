// The run page with a very long log, in Chromium: a role run with N stored events (100,000 by
// default) is opened; measured: time until the first log lines show, time to scroll to the last line,
// time for a search to narrow to one line, and the longest main-thread task during those steps.
// No preflight runs here, so the run that owns the log starts on an Admin's override. --smoke (what
// ./test.sh runs): 200 lines, figures printed, not kept. Chromium aborts loads when the network of its
// namespace changes: ./test.sh runs this bench in a network namespace of its own (unshare --net).
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;

var smoke = args.Contains("--smoke");
var count = smoke ? 200 : int.Parse(Environment.GetEnvironmentVariable("BENCH_LINES") ?? "100000", CultureInfo.InvariantCulture);
var root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", ".."));
var binaries = Path.Combine(root, "Runner.Appliance", "bin", "Release", "net10.0");
var data = Directory.CreateTempSubdirectory("runner-logview-").FullName;
var port = FreePort();
var start = new ProcessStartInfo("dotnet") { WorkingDirectory = binaries, RedirectStandardOutput = true, RedirectStandardError = true };
start.ArgumentList.Add(Path.Combine(binaries, "Runner.Appliance.dll"));
start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
start.Environment["Appliance__DataDirectory"] = data;
start.Environment["Appliance__Engine__AnsibleDirectory"] = Path.Combine(root, "ansible");
using var app = Process.Start(start)!;
var appOutput = new System.Collections.Concurrent.ConcurrentQueue<string>();
app.OutputDataReceived += (_, e) => Keep(appOutput, e.Data);
app.ErrorDataReceived += (_, e) => Keep(appOutput, e.Data);
app.BeginOutputReadLine();
app.BeginErrorReadLine();
try
{
    var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
    await UntilAsync(() => Healthy(http), TimeSpan.FromSeconds(60), "the appliance to answer /healthz");
    const string user = "bench-admin", password = "bench-password-123";
    (await http.PostAsJsonAsync("/api/v1/setup", new { username = user, password })).EnsureSuccessStatusCode();
    var token = (await (await http.PostAsJsonAsync("/api/v1/token", new { username = user, password })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString();
    http.DefaultRequestHeaders.Authorization = new("Bearer", token);
    (await http.PutAsJsonAsync("/api/v1/configuration", new { environmentPrefix = "prod", baseDomain = "example.local", concurrentUsers = 800, products = new[] { "GCO" }, version = 0 })).EnsureSuccessStatusCode();
    using var started = await http.PostAsJsonAsync("/api/v1/runs", new { roles = new[] { "testrole" }, overrideReason = "Benchmark of the run page on loopback: no preflight is run" });
    if (!started.IsSuccessStatusCode)
        throw new InvalidOperationException($"POST /api/v1/runs answered {(int)started.StatusCode}: {await started.Content.ReadAsStringAsync()}");
    var run = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
    var view = default(JsonElement);
    await UntilAsync(async () => (view = await http.GetFromJsonAsync<JsonElement>($"/api/v1/runs/{run}")).GetProperty("status").GetString() is not ("Queued" or "Running"),
        TimeSpan.FromSeconds(120), $"run {run} to end");
    if (view.GetProperty("status").GetString() != "Successful")
        throw new InvalidOperationException($"Run {run} of testrole did not succeed: {view}");
    var roleRun = view.GetProperty("roles")[0].GetProperty("id").GetInt32();

    await using (var connection = new SqliteConnection($"Data Source={Path.Combine(data, "appliance.db")}"))
    {
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO RunEvents (RunId, RoleRunId, Attempt, Seq, At, Type, Host, Task, Status, Text, Json) VALUES ($r, $rr, 1, $s, '2026-11-22 23:00:00+00:00', 'runner_on_ok', $h, $t, $st, $x, '{}')";
        var p = new[] { "$r", "$rr", "$s", "$h", "$t", "$st", "$x" }.Select(n => command.Parameters.Add(new SqliteParameter(n, null))).ToArray();
        for (var i = 1; i <= count; i++)
        {
            var host = $"prod-rke2-apps-agent-0{i % 6 + 1}";
            var status = i % 97 == 0 ? "failed" : i % 5 == 0 ? "changed" : "ok";
            (p[0].Value, p[1].Value, p[2].Value, p[3].Value, p[4].Value, p[5].Value) = (run, roleRun, i, host, $"install-app : step {i % 50}", status);
            p[6].Value = $"{status}: [{host}] install-app : step {i % 50} => line {i:000000}";
            await command.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
    }

    using var playwright = await Playwright.CreateAsync();
    await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = "/usr/bin/chromium", Args = ["--no-sandbox", "--disable-gpu"] });
    var page = await browser.NewPageAsync(new() { BaseURL = $"http://127.0.0.1:{port}", ViewportSize = new() { Width = 1366, Height = 900 } });
    await page.GotoAsync("/account/login");
    await page.FillAsync("#username", user);
    await page.FillAsync("#password", password);
    await page.ClickAsync("button[type=submit]");
    await page.WaitForSelectorAsync("[data-interactive=yes]");
    await page.AddInitScriptAsync("window.__long = 0; new PerformanceObserver(l => l.getEntries().forEach(e => window.__long = Math.max(window.__long, e.duration))).observe({ type: 'longtask', buffered: true });");

    var clock = Stopwatch.StartNew();
    await page.GotoAsync($"/runs/{run}");
    await page.WaitForSelectorAsync("[data-testid=run-log] [data-testid=log-line]", new() { Timeout = 120_000 });
    var firstLines = clock.Elapsed;

    clock.Restart();
    await page.EvalOnSelectorAsync("[data-testid=run-log]", "el => el.scrollTop = el.scrollHeight");
    await page.Locator("[data-testid=run-log]").GetByText($"line {count:000000}").WaitForAsync(new() { Timeout = 60_000 });
    var scrolled = clock.Elapsed;

    clock.Restart();
    await page.FillAsync("[data-testid=log-search]", $"line {count - 1:000000}");
    await page.WaitForFunctionAsync("() => document.querySelectorAll('[data-testid=run-log] [data-testid=log-line]').length === 1", null, new() { Timeout = 60_000 });
    var searched = clock.Elapsed;
    var longest = await page.EvaluateAsync<double>("() => window.__long");

    var result = new
    {
        lines = count,
        first_lines_visible_ms = Math.Round(firstLines.TotalMilliseconds),
        scroll_to_last_line_ms = Math.Round(scrolled.TotalMilliseconds),
        search_to_one_line_ms = Math.Round(searched.TotalMilliseconds),
        longest_main_thread_task_ms = Math.Round(longest),
    };
    var json = JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true });
    Console.WriteLine(json);
    if (smoke)
        return;
    Directory.CreateDirectory(Path.Combine(root, "bench", "results"));
    await File.WriteAllTextAsync(Path.Combine(root, "bench", "results", "logview.json"), json);
}
catch
{
    await Console.Error.WriteLineAsync("The appliance's last output:\n" + string.Join('\n', appOutput));
    throw;
}
finally
{
    app.Kill();
    await app.WaitForExitAsync();
    SqliteConnection.ClearAllPools();
    Directory.Delete(data, recursive: true);
}

static void Keep(System.Collections.Concurrent.ConcurrentQueue<string> lines, string? line)
{
    if (line is null)
        return;
    lines.Enqueue(line);
    while (lines.Count > 100)
        lines.TryDequeue(out _);
}

// Polls a condition (the tests' Eventually, which this project does not reference).
static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string awaited)
{
    var clock = Stopwatch.StartNew();
    while (!await condition())
    {
        if (clock.Elapsed > timeout)
            throw new TimeoutException($"Waited {timeout.TotalSeconds:0} s for {awaited}.");
        await Task.Delay(100);
    }
}

static async Task<bool> Healthy(HttpClient http)
{
    try
    {
        return (await http.GetAsync("/healthz")).IsSuccessStatusCode;
    }
    catch (HttpRequestException)
    {
        return false;
    }
}

static int FreePort()
{
    using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
    listener.Start();
    return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
}
