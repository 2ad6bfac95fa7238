using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Runner.Appliance.Tests.Browser;

/// <summary>
/// Relays every connection accepted on <paramref name="listener"/> (opened in the browser's network
/// namespace) to <paramref name="target"/> on the host's loopback, bytes as they come in both directions
/// (HTTP and the Blazor circuit's WebSocket alike); a side that finishes sending is shut down on the other.
/// </summary>
public sealed class LoopbackRelay : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Socket, byte> _open = new();
    private readonly Task _accepting;

    public LoopbackRelay(Socket listener, IPEndPoint target)
    {
        (_listener, _target) = (listener, target);
        _accepting = AcceptAsync();
    }

    private async Task AcceptAsync()
    {
        var relays = new List<Task>();
        while (true)
        {
            Socket browser;
            try
            {
                browser = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                break;
            }
            relays.RemoveAll(t => t.IsCompleted);
            relays.Add(RelayAsync(browser));
        }
        await Task.WhenAll(relays);
    }

    private async Task RelayAsync(Socket browser)
    {
        // Created here, on a thread of the host's namespace: this socket reaches the host's loopback.
        using var appliance = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using (browser)
        {
            browser.NoDelay = true;
            _open.TryAdd(browser, 0);
            _open.TryAdd(appliance, 0);
            try
            {
                await appliance.ConnectAsync(_target, _stop.Token);
                await Task.WhenAll(PumpAsync(browser, appliance), PumpAsync(appliance, browser));
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // The relay stops, or one side reset the connection: the other side sees the close.
            }
            finally
            {
                _open.TryRemove(browser, out _);
                _open.TryRemove(appliance, out _);
            }
        }
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token)) > 0)
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // One direction broke: end both, as a direct connection would.
            from.Close();
            to.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Close();
        foreach (var socket in _open.Keys)
            socket.Close();
        await _accepting;
        _stop.Dispose();
    }
}
