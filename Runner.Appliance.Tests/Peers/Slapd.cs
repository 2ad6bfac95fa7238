using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Peers;

/// <summary>
/// A real OpenLDAP slapd (Debian) on 127.0.0.1: ldap:// on <see cref="Port"/> (StartTLS offered) and
/// ldaps:// on <see cref="LdapsPort"/>, certificate from a private CA (<see cref="Ca"/>), suffix
/// dc=example,dc=org seeded from slapd-seed.ldif: 3 people, 1 group, the bind account <see cref="BindDn"/>.
/// </summary>
public sealed class Slapd : IDisposable
{
    public const string BindDn = "cn=runner,ou=services,dc=example,dc=org";
    public const string BindPassword = "bind-secret";
    public const string BaseDn = "dc=example,dc=org";

    private readonly TempDirectory _base = new();
    private readonly PeerProcess _server;

    public Slapd()
    {
        Ca = new LoopbackCa(_base.Path, "Runner Test LDAP CA");
        Directory.CreateDirectory(Path.Combine(_base.Path, "db"));
        var config = Path.Combine(_base.Path, "slapd.conf");
        File.WriteAllText(config, File.ReadAllText(Peer("slapd.conf")).Replace("{DIR}", _base.Path, StringComparison.Ordinal));
        (Port, LdapsPort) = (PeerProcess.FreePort(), PeerProcess.FreePort());
        // -d keeps slapd in the foreground (a child we can kill); level 0 logs nothing but errors.
        _server = new PeerProcess("/usr/sbin/slapd", ["-d", "0", "-f", config, "-h", $"ldap://127.0.0.1:{Port}/ ldaps://127.0.0.1:{LdapsPort}/"]);
        _server.WaitForPort(Port);
        _server.WaitForPort(LdapsPort);
        PeerProcess.Run("ldapadd", ["-x", "-H", $"ldap://127.0.0.1:{Port}", "-D", "cn=admin,dc=example,dc=org", "-w", "admin-secret", "-f", Peer("slapd-seed.ldif")]);
    }

    public LoopbackCa Ca { get; }

    public int Port { get; }

    public int LdapsPort { get; }

    private static string Peer(string name) => Path.Combine(AppContext.BaseDirectory, "Peers", name);

    public void Dispose()
    {
        _server.Dispose();
        _base.Dispose();
    }
}
