// The whole preflight of a complete site on loopback (the tests' site bed), through the API of an
// in-process appliance: wall time of POST /api/v1/preflight, the runner's own duration, the slowest
// checks, and one item's test. Target (issue #6): the whole preflight in < 10 s.
// --smoke (what ./test.sh runs): the warm-up and one run of each; figures printed, not kept.
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Runner.Appliance.Tests.Infrastructure;
using Runner.Appliance.Tests.Preflight;

var smoke = args.Contains("--smoke");
var runs = smoke ? 1 : int.TryParse(Environment.GetEnvironmentVariable("BENCH_RUNS"), out var n) ? n : 10;
await using var site = await SiteBed.StartAsync();
using var data = new TempDirectory();
using var host = new ApplianceHost(data.Path, settings: site.Settings);
var admin = await host.AdminClientAsync();
var vms = await site.ConfigureAsync(admin);

async Task<(double WallMs, JsonElement Report)> PreflightAsync(string path)
{
    var clock = Stopwatch.StartNew();
    using var response = await admin.PostAsJsonAsync(path, new { });
    response.EnsureSuccessStatusCode();
    var report = await response.Content.ReadFromJsonAsync<JsonElement>();
    return (clock.Elapsed.TotalMilliseconds, report);
}

await PreflightAsync("/api/v1/preflight"); // warm-up: JIT, first connections
var walls = new List<double>();
var durations = new List<double>();
JsonElement last = default;
for (var i = 0; i < runs; i++)
{
    var (wall, report) = await PreflightAsync("/api/v1/preflight");
    walls.Add(wall);
    durations.Add(report.GetProperty("durationMs").GetDouble());
    last = report;
}
var hypervisor = (await admin.GetFromJsonAsync<JsonElement[]>("/api/v1/hypervisors"))![0].GetProperty("id").GetInt32();
var itemWalls = new List<double>();
for (var i = 0; i < runs; i++)
    itemWalls.Add((await PreflightAsync($"/api/v1/hypervisors/{hypervisor}/test")).WallMs);

var checks = last.GetProperty("checks").EnumerateArray().ToList();
double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
var result = new
{
    runs,
    vms = vms.Length,
    checks = checks.Count,
    statuses = checks.GroupBy(c => c.GetProperty("status").GetString()).ToDictionary(g => g.Key!, g => g.Count()),
    preflightWallMsMedian = Math.Round(Median(walls)),
    preflightWallMsMax = Math.Round(walls.Max()),
    runnerDurationMsMedian = Median(durations),
    hypervisorTestWallMsMedian = Math.Round(Median(itemWalls)),
    slowestChecks = checks.OrderByDescending(c => c.GetProperty("durationMs").GetInt64()).Take(6)
        .Select(c => $"{c.GetProperty("id").GetString()} {c.GetProperty("durationMs").GetInt64()} ms").ToList(),
};
var json = JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true });
Console.WriteLine(json);
if (checks.Count == 0)
    throw new InvalidOperationException("The preflight ran no check.");
if (smoke)
    return;
Directory.CreateDirectory(Path.Combine(Repository.Root, "bench", "results"));
await File.WriteAllTextAsync(Path.Combine(Repository.Root, "bench", "results", "preflight.json"), json);
