using System.Diagnostics;
using System.Net;
using System.Text;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Peers;

/// <summary>
/// A vCenter simulator (govmomi's vcsim, built by Peers/vcsim-build.sh from Debian's sources) on a
/// free loopback port, accepting only <see cref="User"/> / <see cref="Password"/>. Flags shape the
/// inventory ("-host", "4" for more hosts per cluster; "-esx" for a standalone ESXi host).
/// Default inventory: DC0 / cluster DC0_C0 (3 hosts, 6 cores) / LocalDS_0 / "VM Network", DC0_DVPG0.
/// </summary>
public sealed class Vcsim : IDisposable
{
    public const string User = "administrator@vsphere.local";
    public const string Password = "Vcsim-Secret-1";

    private static readonly Lazy<string> Built = new(Build, LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly TempDirectory _directory = new();
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    public Vcsim(params string[] flags)
    {
        Port = PeerProcess.FreePort();
        var start = new ProcessStartInfo(Built.Value) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["-l", $"127.0.0.1:{Port}", "-username", User, "-password", Password, .. flags])
            start.ArgumentList.Add(argument);
        // vcsim backs each datastore with a directory under TMPDIR: keep them in the test's own.
        start.Environment["TMPDIR"] = _directory.Path;
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        WaitUntilAnswering();
    }

    public string Host => "127.0.0.1";

    public int Port { get; }

    /// <summary>How long the cold build took in this test run (zero when the binary was cached).</summary>
    public static TimeSpan BuildTime { get; private set; }

    private void WaitUntilAnswering()
    {
        using var http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true }) { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            Eventually.Until(() => !_process.HasExited ? Answers(http) : throw new InvalidOperationException($"vcsim exited ({_process.ExitCode})"),
                TimeSpan.FromSeconds(20), $"vcsim to answer on port {Port}");
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            Dispose();
            lock (_output)
                throw new InvalidOperationException($"vcsim did not answer on port {Port}: {e.Message}: {_output}", e);
        }
    }

    private bool Answers(HttpClient http)
    {
        try
        {
            using var response = http.GetAsync(new Uri($"https://{Host}:{Port}/about")).GetAwaiter().GetResult();
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private static string Build()
    {
        var clock = Stopwatch.StartNew();
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Peers", "vcsim-build.sh"));
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"vcsim-build.sh failed ({process.ExitCode}): {output}{error.GetAwaiter().GetResult()}");
        if (clock.Elapsed > TimeSpan.FromSeconds(5))
            BuildTime = clock.Elapsed;
        return output.Trim().Split('\n')[^1];
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException) { /* already gone */ }
        _process.Dispose();
        _directory.Dispose();
    }
}
