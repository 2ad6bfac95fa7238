using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Peers;

/// <summary>
/// A real SMTP server (Debian's python3-aiosmtpd, Peers/smtp-server.py) on 127.0.0.1: STARTTLS on
/// <see cref="Port"/>, implicit TLS on <see cref="TlsPort"/>, certificate from a private CA, AUTH
/// PLAIN/LOGIN for <see cref="User"/> after TLS; each accepted mail lands in <see cref="Received"/>.
/// </summary>
public sealed class SmtpServer : IDisposable
{
    public const string User = "mailer";
    public const string Password = "mail-secret";

    private readonly TempDirectory _base = new();
    private readonly PeerProcess _server;
    private readonly string _mail;

    public SmtpServer()
    {
        Ca = new LoopbackCa(_base.Path, "Runner Test Mail CA");
        _mail = Path.Combine(_base.Path, "mail");
        Directory.CreateDirectory(_mail);
        (Port, TlsPort) = (PeerProcess.FreePort(), PeerProcess.FreePort());
        // Debian's python3: aiosmtpd is a Debian package, another python3 on PATH may not have it.
        _server = new PeerProcess("/usr/bin/python3", [Path.Combine(AppContext.BaseDirectory, "Peers", "smtp-server.py"),
            "--port", $"{Port}", "--tls-port", $"{TlsPort}", "--cert", Ca.CertificateFile, "--key", Ca.KeyFile,
            "--mail-dir", _mail, "--user", User, "--password", Password]);
        _server.WaitForPort(Port);
        _server.WaitForPort(TlsPort);
    }

    public LoopbackCa Ca { get; }

    public int Port { get; }

    public int TlsPort { get; }

    /// <summary>The mails accepted so far, envelope headers first.</summary>
    public IReadOnlyList<string> Received =>
        [.. Directory.GetFiles(_mail, "*.eml").Order(StringComparer.Ordinal).Select(File.ReadAllText)];

    public void Dispose()
    {
        _server.Dispose();
        _base.Dispose();
    }
}
