using System.Diagnostics;

namespace Runner.Appliance.Tests.Engine;

/// <summary>What /proc says about the processes of this machine, and waiting for it to change.</summary>
internal static class Processes
{
    /// <summary>Command lines that contain <paramref name="text"/> (ansible-playbook runs with its workspace paths in it).</summary>
    public static List<string> Mentioning(string text) => [.. PidsMentioning(text).Select(CommandLine)];

    public static List<int> PidsMentioning(string text) =>
        [.. All().Where(p => CommandLine(p) is var c && c.Contains(text, StringComparison.Ordinal) && !c.Contains("testhost", StringComparison.Ordinal))];

    /// <summary>
    /// The pids of the live processes in process group <paramref name="group"/>. A zombie (dead, not yet
    /// reaped by whoever inherited it: here PID 1 of the sandbox, which reaps late) runs nothing and counts as gone.
    /// </summary>
    public static List<int> InGroup(int group) => [.. All().Where(p => Stat(p) is { } stat && stat.Group == group && stat.State is not ('Z' or 'X'))];

    /// <summary>The pids of the live processes in session <paramref name="session"/> (setsid: the pid of its first process).</summary>
    public static List<int> InSession(int session) => [.. All().Where(p => Stat(p) is { } stat && stat.Session == session && stat.State is not ('Z' or 'X'))];

    /// <summary>The process group of <paramref name="pid"/>; null once it is gone.</summary>
    public static int? GroupOf(int pid) => Stat(pid)?.Group;

    private static (char State, int Group, int Session)? Stat(int pid)
    {
        try
        {
            // Fields after the command name, which may itself hold spaces and parentheses: state ppid pgrp session …
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (fields[0][0], int.Parse(fields[2], System.Globalization.CultureInfo.InvariantCulture), int.Parse(fields[3], System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    public static void Kill(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // gone already
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds, checking every 10 ms; false if it still does not after <paramref name="limit"/>.</summary>
    public static async Task<bool> WaitUntilAsync(Func<bool> condition, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > limit)
                return false;
            await Task.Delay(10);
        }
        return true;
    }

    private static IEnumerable<int> All() =>
        Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(n => n!.All(char.IsAsciiDigit)).Select(n => int.Parse(n!, System.Globalization.CultureInfo.InvariantCulture));
}
