using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Peers;

/// <summary>
/// A server program run by a test fixture: started in the foreground with its output captured
/// (for the failure message), killed with its children at dispose. Plus the loopback helpers
/// the fixtures share: a free port, a command run to completion, waiting for a port.
/// </summary>
public sealed class PeerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    public PeerProcess(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = Start(program, arguments, environment);
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <summary>Waits until <paramref name="port"/> on 127.0.0.1 accepts a connection; fails with the program's output.</summary>
    public void WaitForPort(int port, TimeSpan? within = null) =>
        Eventually.Until(() => Running($"before listening on {port}") && Accepts(port), within ?? TimeSpan.FromSeconds(30),
            $"{_process.StartInfo.FileName} to listen on {port}", () => Output);

    /// <summary>True while the program runs; once it has exited, fails with its output (it will not come up later).</summary>
    public bool Running(string when) => !_process.HasExited
        ? true
        : throw new InvalidOperationException($"{_process.StartInfo.FileName} exited ({_process.ExitCode}) {when}: {Output}");

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }
        _process.Dispose();
    }

    /// <summary>
    /// A loopback port nothing listens on, for a peer to bind later or for a test that needs a closed port.
    /// Never handed out twice in a run, and taken below the kernel's ephemeral range: a port asked of the
    /// kernel (port 0: Kestrel, TcpListener, every outgoing connection) is never one of these, so nothing
    /// else in the run can take it between this call and the bind. Each run starts at a random point of
    /// the range, so two runs on one machine rarely probe the same ports.
    /// </summary>
    public static int FreePort()
    {
        lock (HandedOut)
        {
            for (var i = 0; i < PortCount; i++)
            {
                var port = LowestPort + (_nextPort++ % PortCount);
                if (HandedOut.Add(port) && CanListen(port))
                    return port;
            }
        }
        throw new InvalidOperationException($"No free loopback port left in {LowestPort}-{LowestPort + PortCount - 1}.");
    }

    private const int PortCount = 10_000;
    private static readonly int LowestPort = EphemeralLow() - PortCount;
    private static readonly HashSet<int> HandedOut = [];
    private static int _nextPort = Random.Shared.Next(PortCount);

    private static int EphemeralLow()
    {
        var range = File.Exists("/proc/sys/net/ipv4/ip_local_port_range") ? File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range") : "32768";
        var low = int.Parse(range.Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[0], System.Globalization.CultureInfo.InvariantCulture);
        return Math.Max(low, PortCount + 1024);
    }

    private static bool CanListen(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public static bool Accepts(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Runs a command to completion; throws with its output when it fails.</summary>
    public static string Run(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, string? input = null)
    {
        var start = Start(program, arguments, environment);
        start.RedirectStandardInput = input is not null;
        using var process = Process.Start(start)!;
        if (input is not null)
        {
            process.StandardInput.Write(input);
            process.StandardInput.Close();
        }
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(60_000))
            process.Kill(entireProcessTree: true);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', start.ArgumentList)} failed ({process.ExitCode}): {output}{error.Result}");
        return output;
    }

    private static ProcessStartInfo Start(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        return start;
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_output)
            if (_output.Length < 20_000)
                _output.AppendLine(line);
    }
}
