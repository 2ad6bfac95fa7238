using System.Net;
using System.Net.Sockets;

namespace Runner.Appliance.Tests.Peers;

/// <summary>
/// A loopback port that accepts TCP connections (the kernel completes them into the backlog) and
/// never says a word: the shape of a hung server or a black-holing middlebox.
/// </summary>
public sealed class SilentPort : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

    public SilentPort()
    {
        _listener.Start(backlog: 16);
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
    }

    public int Port { get; }

    /// <summary>A loopback port that nothing listens on, and that nothing else in the run will be given.</summary>
    public static int Closed() => PeerProcess.FreePort();

    public void Dispose() => _listener.Stop();
}
