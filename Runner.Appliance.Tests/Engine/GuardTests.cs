using System.Diagnostics;
using Runner.Appliance.Engine;
using Runner.Appliance.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Runner.Appliance.Tests.Engine;

/// <summary>ansible/libexec/runner-guard.py, the program every ansible-playbook runs under, with real processes.</summary>
public sealed class GuardTests(ITestOutputHelper output) : IDisposable
{
    private const string Python = "/usr/bin/python3";
    private static readonly string Guard = Repository.PathOf("ansible", "libexec", "runner-guard.py");
    private readonly List<Process> _guards = [];

    [Fact]
    public async Task WhenItsStdinCloses_TheGuardKillsItsWholeProcessGroup()
    {
        var guard = Start("sh", "-c", "sleep 1001 & exec sleep 1002");
        var group = guard.Id;
        Assert.True(await Processes.WaitUntilAsync(() => Sleeps(group) == 2, TimeSpan.FromSeconds(10)), "the guard's command did not start");

        guard.StandardInput.Close(); // what the kernel does when the appliance dies
        var clock = Stopwatch.StartNew();
        var gone = await Processes.WaitUntilAsync(() => Processes.InGroup(group).Count == 0, TimeSpan.FromSeconds(10));
        output.WriteLine($"the group was gone {clock.Elapsed.TotalMilliseconds:0.0} ms after the guard's stdin closed");

        Assert.True(gone, string.Join(" | ", Processes.InGroup(group).Select(Processes.CommandLine)));
        await guard.WaitForExitAsync();
        Assert.Equal(128 + 9, guard.ExitCode);
    }

    [Fact]
    public async Task AGuardStartedWithoutSetsid_TakesAGroupOfItsOwn_SoItsKillSparesItsCaller()
    {
        // The caller is a group leader (setsid sh), the guard its child in that group, as when run by hand.
        var caller = Start(guarded: false, "sh", "-c", $"{Python} {Guard} sleep 1005; echo the caller lives on");

        Assert.True(await Processes.WaitUntilAsync(() => Sleeps(caller.Id) == 1, TimeSpan.FromSeconds(10)), "the guard's command did not start");
        caller.StandardInput.Close();

        Assert.Equal("the caller lives on", await caller.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(await Processes.WaitUntilAsync(() => Sleeps(caller.Id) == 0, TimeSpan.FromSeconds(10)), "the guard's own group outlived it");
    }

    [Fact]
    public async Task SigintToTheGroup_StopsTheCommand_AndTheGuardExitsWithItsCode()
    {
        // Like ansible-playbook: SIGINT makes it stop and exit 99.
        var guard = Start(Python, "-c", "import signal, sys, time; signal.signal(signal.SIGINT, lambda *_: sys.exit(99)); print('ready', flush=True); time.sleep(60)");
        Assert.Equal("ready", await guard.StandardOutput.ReadLineAsync());

        using (var kill = Process.Start("kill", ["-INT", "--", $"-{guard.Id}"]))
            await kill.WaitForExitAsync();

        await guard.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(99, guard.ExitCode);
    }

    [Theory]
    [InlineData("exit 3", 3)]
    [InlineData("kill -TERM $$", 128 + 15)]
    public async Task TheGuard_ExitsWithItsCommandsCode_Or128PlusTheSignalThatEndedIt(string script, int expected)
    {
        var guard = Start("sh", "-c", script);

        await guard.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(expected, guard.ExitCode);
    }

    [Fact]
    public async Task TheLifeline_IsHeldByTheApplianceAndTheGuardOnly_AndCancelStillStopsTheGroup()
    {
        var started = new TaskCompletionSource<int>();
        using var cancel = new CancellationTokenSource();
        var invocation = new AnsibleInvocation("sleep", ["1003"], new Dictionary<string, string>(), Path.GetTempPath(), [Python, Guard]);
        var run = AnsibleProcess.RunAsync(invocation, (_, _) => ValueTask.CompletedTask, started.SetResult, TimeSpan.FromSeconds(5), cancel.Token);
        var group = await started.Task;
        using var sibling = Process.Start("sleep", "1004"); // started while the lifeline is open: must not inherit it
        Assert.True(await Processes.WaitUntilAsync(() => Processes.InGroup(group).Any(p => Processes.CommandLine(p) == "sleep 1003 "), TimeSpan.FromSeconds(10)));

        try
        {
            var pipe = new FileInfo($"/proc/{group}/fd/0").LinkTarget!;
            Assert.StartsWith("pipe:", pipe, StringComparison.Ordinal);
            Assert.Equal(new[] { Environment.ProcessId, group }.Order(), HoldersOf(pipe).Order()); // PIDs wrap: either may be the lower
        }
        finally
        {
            sibling.Kill();
        }
        await cancel.CancelAsync();
        Assert.Equal(128 + 2, await run.WaitAsync(TimeSpan.FromSeconds(10))); // sleep ends on SIGINT
        Assert.Empty(Processes.InGroup(group));
    }

    private Process Start(params string[] command) => Start(guarded: true, command);

    /// <summary>setsid, the guard (unless not <paramref name="guarded"/>), then the command: as the engine starts ansible-playbook.</summary>
    private Process Start(bool guarded, params string[] command)
    {
        var start = new ProcessStartInfo("setsid") { RedirectStandardInput = true, RedirectStandardOutput = true };
        foreach (var part in (guarded ? [Python, Guard] : Array.Empty<string>()).Concat(command))
            start.ArgumentList.Add(part);
        var process = Process.Start(start)!;
        _guards.Add(process);
        return process;
    }

    /// <summary>How many of the test's sleeps run in the session <paramref name="session"/> (a guard's session: setsid).</summary>
    private static int Sleeps(int session) => Processes.InSession(session).Count(p => Processes.CommandLine(p).StartsWith("sleep 100", StringComparison.Ordinal));

    /// <summary>The processes with a file descriptor on <paramref name="pipe"/> ("pipe:[inode]").</summary>
    private static List<int> HoldersOf(string pipe) =>
        [.. Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(n => n!.All(char.IsAsciiDigit)).Select(n => int.Parse(n!, System.Globalization.CultureInfo.InvariantCulture))
            .Where(pid => Descriptors(pid).Contains(pipe))];

    /// <summary>What the open file descriptors of <paramref name="pid"/> point to (empty once it is gone).</summary>
    private static List<string> Descriptors(int pid)
    {
        try
        {
            return [.. Directory.GetFiles($"/proc/{pid}/fd").Select(d => new FileInfo(d).LinkTarget ?? "")];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    public void Dispose()
    {
        foreach (var guard in _guards)
        {
            foreach (var pid in Processes.InGroup(guard.Id))
                Processes.Kill(pid);
            guard.Dispose();
        }
    }
}
