using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Runner.Appliance.Tests.Infrastructure;
using Runner.Appliance.Tests.Peers;

namespace Runner.Appliance.Tests.Browser;

/// <summary>
/// Chromium's own network namespace, holding nothing but loopback. Chromium aborts the loads in flight
/// (net::ERR_NETWORK_CHANGED) whenever an address or a link changes in its namespace, and tests change
/// the host's all the time (SSH targets, private bridges): in a namespace of its own the browser sees
/// none of it. Nothing changes in this one after <see cref="Start"/>: loopback is up before Chromium starts.
/// The appliances under test listen on the host's loopback; <see cref="Expose"/> relays one of their
/// ports to the same port on the browser's loopback, so the browser uses the same URLs. With loopback only,
/// navigator.onLine is false in these pages (nothing in the appliance reads it).
/// </summary>
public sealed class BrowserNetwork : IDisposable
{
    private const int CloneNewNet = 0x40000000;
    private readonly PeerProcess _holder;

    private BrowserNetwork(PeerProcess holder, string path) => (_holder, NamespacePath) = (holder, path);

    /// <summary>The namespace, as nsenter --net takes it.</summary>
    public string NamespacePath { get; }

    /// <summary>Creates the namespace (root only); a sleeping process holds it until <see cref="Dispose"/>.</summary>
    public static BrowserNetwork Start()
    {
        var holder = new PeerProcess("unshare", ["--net", "--", "/bin/sh", "-c", "ip link set lo up && echo ready && exec sleep infinity"]);
        try
        {
            Eventually.Until(() => holder.Output.Contains("ready", StringComparison.Ordinal) || holder.HasExited, TimeSpan.FromSeconds(10),
                "the browser's network namespace", () => holder.Output);
            var path = $"/proc/{holder.Id}/ns/net";
            if (holder.HasExited || new FileInfo(path).LinkTarget == new FileInfo("/proc/self/ns/net").LinkTarget)
                throw new InvalidOperationException($"No network namespace of its own for the browser (tests run as root): {holder.Output}");
            return new BrowserNetwork(holder, path);
        }
        catch
        {
            holder.Dispose();
            throw;
        }
    }

    /// <summary>Makes <paramref name="address"/> (a host loopback URL) reachable at the same URL from the browser.</summary>
    public IAsyncDisposable Expose(Uri address) =>
        new LoopbackRelay(InNamespace(() =>
        {
            var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, address.Port));
            listener.Listen(64);
            return listener;
        }), new IPEndPoint(IPAddress.Loopback, address.Port));

    /// <summary>
    /// Runs <paramref name="create"/> on a thread of its own switched into the namespace: a socket belongs to
    /// the namespace of the thread that created it, and the thread returns to the host's before it ends.
    /// </summary>
    private T InNamespace<T>(Func<T> create)
    {
        T? result = default;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var home = File.OpenHandle("/proc/thread-self/ns/net");
                using var browser = File.OpenHandle(NamespacePath);
                if (SetNamespace((int)browser.DangerousGetHandle(), CloneNewNet) != 0)
                    throw new InvalidOperationException($"setns into {NamespacePath} failed: errno {Marshal.GetLastPInvokeError()}");
                try
                {
                    result = create();
                }
                finally
                {
                    if (SetNamespace((int)home.DangerousGetHandle(), CloneNewNet) != 0)
                        Environment.FailFast("A test thread could not return to the host's network namespace.");
                }
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();
        return failure is null ? result! : throw new InvalidOperationException("Could not open a socket in the browser's network namespace.", failure);
    }

    public void Dispose() => _holder.Dispose();

    [DllImport("libc", EntryPoint = "setns", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
#pragma warning disable SYSLIB1054 // as Runner.Appliance's own libc calls: no source-generated marshalling needed for two ints
    private static extern int SetNamespace(int fd, int nsType);
#pragma warning restore SYSLIB1054
}
