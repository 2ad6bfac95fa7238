using System.Net.Sockets;

namespace Runner.Appliance.Integrations.Network;

/// <summary>What a failed TCP connect means, in the words a field technician acts on.</summary>
public static class SocketErrors
{
    public static string Describe(SocketException e) => e.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "connection refused (nothing listens on that port; is the server running, is the port right?)",
        SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData => "the host name does not resolve",
        SocketError.TimedOut => "no answer (a firewall may drop the traffic)",
        SocketError.NetworkUnreachable or SocketError.HostUnreachable => "no route to the host",
        _ => e.Message,
    };
}
