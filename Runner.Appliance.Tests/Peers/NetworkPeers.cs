using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Peers;

/// <summary>
/// A real DNS server (dnsmasq) on 127.0.1.53:53 with A and PTR records, and a real NTP server
/// (chronyd serving its local clock, never touching the system's) on 127.0.1.123:123.
/// Both are on loopback addresses nothing else uses.
/// </summary>
public sealed class NetworkPeers : IDisposable
{
    public const string DnsServer = "127.0.1.53";
    public const string NtpServer = "127.0.1.123";

    // Fixed addresses: one instance at a time, across parallel test classes and other runs on this machine.
    private readonly HostLock _exclusive;
    private readonly TempDirectory _directory = new();
    private readonly DaemonProcess? _dns;
    private readonly DaemonProcess? _ntp;

    /// <param name="records">Host name and address pairs: each gets an A and a PTR record.</param>
    public NetworkPeers(IEnumerable<(string Fqdn, string Address)> records)
    {
        _exclusive = HostLock.Acquire(TimeSpan.FromMinutes(3), $"addr-{DnsServer}", $"addr-{NtpServer}");
        try
        {
            _dns = new DaemonProcess("dnsmasq", [
                "--keep-in-foreground", "--conf-file=/dev/null", "--no-resolv", "--no-hosts", $"--listen-address={DnsServer}", "--bind-interfaces",
                "--port=53", "--pid-file=", "--log-facility=-", .. records.Select(r => $"--host-record={r.Fqdn},{r.Address}")]);
            var config = Path.Combine(_directory.Path, "chrony.conf");
            File.WriteAllText(config, $"port 123\nbindaddress {NtpServer}\nallow 127.0.0.0/8\nlocal stratum 8\ncmdport 0\npidfile {Path.Combine(_directory.Path, "chronyd.pid")}\n");
            _ntp = new DaemonProcess("chronyd", ["-x", "-d", "-f", config]);
            byte[] dnsQuery = [0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 1];
            _dns.WaitUntil(() => DaemonProcess.UdpAnswers(DnsServer, 53, dnsQuery), "dnsmasq");
            _ntp.WaitUntil(() => DaemonProcess.UdpAnswers(NtpServer, 123, [0x23, .. new byte[47]]), "chronyd");
        }
        catch
        {
            // Release the addresses: the next test would otherwise wait minutes for a lock nobody uses.
            Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        _dns?.Dispose();
        _ntp?.Dispose();
        _directory.Dispose();
        _exclusive.Dispose();
    }
}
