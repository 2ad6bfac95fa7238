using System.Diagnostics;
using System.Net.Sockets;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Peers;

/// <summary>A peer daemon run in the foreground for one test class, killed at dispose; its output is kept for failure messages.</summary>
public sealed class DaemonProcess : IDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _output = new();

    public DaemonProcess(string program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        _process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>Waits until <paramref name="ready"/> holds, or fails with the daemon's output.</summary>
    public void WaitUntil(Func<bool> ready, string what) =>
        Eventually.Until(() => !_process.HasExited ? ready() : throw new InvalidOperationException($"{what} did not come up (exited {_process.ExitCode}): {Output}"),
            TimeSpan.FromSeconds(15), $"{what} to come up", () => Output);

    /// <summary>True when a UDP datagram to the port gets an answer from <paramref name="probe"/>.</summary>
    public static bool UdpAnswers(string address, int port, byte[] probe)
    {
        using var socket = new UdpClient();
        socket.Client.ReceiveTimeout = 300;
        try
        {
            socket.Send(probe, probe.Length, address, port);
            System.Net.IPEndPoint? from = null;
            return socket.Receive(ref from).Length > 0;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_output)
            _output.AppendLine(line);
    }
}
