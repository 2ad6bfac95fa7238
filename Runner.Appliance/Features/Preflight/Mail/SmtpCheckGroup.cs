using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Runner.Appliance.Features.Configuration.Collections;
using Runner.Appliance.Features.Services;
using Runner.Appliance.Integrations.Network;
using Runner.Appliance.Integrations.Tls;

namespace Runner.Appliance.Features.Preflight.Mail;

/// <summary>One relay, one SMTP session: connect (and TLS), AUTH, and the optional test mail.</summary>
internal sealed class SmtpCheckGroup : CheckGroup
{
    private readonly SmtpServerDto _dto;
    private readonly string? _password;
    private readonly SiteAuthorities _authorities;
    private readonly string? _recipient;
    private readonly CheckDefinition _connect, _tls, _auth;
    private readonly CheckDefinition? _send;

    public SmtpCheckGroup(SmtpServerDto dto, string? password, TimeSpan timeout, SiteAuthorities authorities, string? recipient)
        : base(ItemKinds.Smtp.Owner(dto.Id), timeout)
    {
        (_dto, _password, _authorities, _recipient) = (dto, password, authorities, recipient);
        var alias = dto.Alias ?? "";
        FieldRef Field(string field) => FieldRef.ForItem(ItemKinds.Smtp, dto.Id, alias, field);
        string Id(string aspect) => $"smtp.{alias.ToLowerInvariant()}.{aspect}";
        _connect = Define(Id("connect"), "Mail", $"Mail relay {alias} answers on {Endpoint}", CheckSeverity.Blocking, Field("host"));
        _tls = Define(Id("tls"), "Mail", $"TLS ({dto.TlsMode}) with {alias}", CheckSeverity.Blocking, Field("tlsMode"));
        _auth = Define(Id("auth"), "Mail", $"{alias} accepts the login {dto.Username}", CheckSeverity.Blocking, Field("password"));
        if (!string.IsNullOrWhiteSpace(recipient))
            _send = Define(Id("send"), "Mail", $"{alias} accepts a test mail to {recipient}", CheckSeverity.Blocking, Field("fromAddress"));
    }

    private int Port => _dto.Port ?? SmtpServerDto.DefaultPort(_dto.TlsMode);

    private string Endpoint => $"{_dto.Host}:{Port}";

    public override async Task RunAsync(CheckReport report, CancellationToken ct)
    {
        // A relay's certificate is trusted when the system store or a site CA (security step) vouches for it.
        var trust = new ServerTrust(Hypervisors.CertificatePolicy.Verify, authorities: _authorities);
        using var client = new SmtpClient
        {
            ServerCertificateValidationCallback = trust.Validate,
            // Offline sites cannot reach CRL or OCSP servers: checking revocation would refuse every certificate.
            CheckCertificateRevocation = false,
            // Socket I/O bound: the token (Answer) normally ends first; this is the backstop.
            Timeout = (int)Timeout.TotalMilliseconds,
        };
        try
        {
            await WithinAnswerAsync(report, answer => ConverseAsync(client, trust, report, answer),
                () => CheckOutcome.Failed(
                    $"No answer from {_dto.Alias} at {Endpoint} within {Answer.TotalSeconds:0.#} s: it accepts TCP but does not answer (a proxy, a firewall, or a hung server?).", "host"),
                $"{Endpoint} did not answer.", ct);
        }
        catch (Exception e) when (e is IOException or ProtocolException or SmtpCommandException)
        {
            Interrupt(report, CheckOutcome.Failed($"{_dto.Alias} at {Endpoint} ended the session: {e.Message}", "host"), $"{Endpoint} ended the session.");
        }
    }

    private async Task ConverseAsync(SmtpClient client, ServerTrust trust, CheckReport report, CancellationToken ct)
    {
        Begin(_connect);
        if (!await ConnectAsync(client, trust, report, ct))
            return;
        Begin(_auth);
        if (!await AuthenticateAsync(client, report, ct) || _send is null)
            return;
        Begin(_send);
        await SendAsync(client, report, ct);
        await client.DisconnectAsync(quit: true, ct);
    }

    private async Task<bool> ConnectAsync(SmtpClient client, ServerTrust trust, CheckReport report, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(_dto.Host))
            return Stop(report, _connect, CheckOutcome.Failed("No host is set.", "host"), "No host to connect to.");
        var options = _dto.TlsMode switch
        {
            SmtpTlsMode.Tls => SecureSocketOptions.SslOnConnect,
            SmtpTlsMode.StartTls => SecureSocketOptions.StartTls,
            _ => SecureSocketOptions.None,
        };
        try
        {
            await client.ConnectAsync(_dto.Host, Port, options, ct);
        }
        catch (SocketException e)
        {
            return Stop(report, _connect, CheckOutcome.Failed($"Cannot reach {_dto.Alias} at {Endpoint}: {SocketErrors.Describe(e)}.", "host"), $"{Endpoint} cannot be reached.");
        }
        catch (SslHandshakeException e)
        {
            report.Report(_connect, CheckOutcome.Passed($"{Endpoint} accepts connections."));
            var detail = trust.Seen is { } seen ? $"{seen.Subject}, issued by {seen.Issuer}, valid until {seen.NotAfter:yyyy-MM-dd}, SHA-256 {trust.SeenThumbprint}" : null;
            return Stop(report, _tls, trust.Refusal is { } refusal
                ? CheckOutcome.Failed($"TLS ({_dto.TlsMode}) with {Endpoint}: the server's certificate is not trusted; import its CA into the appliance, or use the host name its certificate carries.", "host", $"{refusal}. {detail}")
                : CheckOutcome.Failed($"TLS ({_dto.TlsMode}) with {Endpoint} failed: {e.InnerException?.Message ?? e.Message} Does the port speak {(_dto.TlsMode == SmtpTlsMode.Tls ? "implicit TLS (usually 465)" : "STARTTLS (usually 587)")}?", "tlsMode", detail),
                "TLS failed.");
        }
        catch (NotSupportedException)
        {
            report.Report(_connect, CheckOutcome.Passed($"{Endpoint} answers SMTP."));
            return Stop(report, _tls, CheckOutcome.Failed($"{_dto.Alias} at {Endpoint} does not offer STARTTLS; set the TLS mode it supports (implicit TLS is usually port 465).", "tlsMode"), "TLS failed.");
        }
        report.Report(_connect, CheckOutcome.Passed($"{Endpoint} answers SMTP."));
        report.Report(_tls, _dto.TlsMode == SmtpTlsMode.None
            ? CheckOutcome.Skipped("No TLS (mode None): mail and the login travel in clear.")
            : CheckOutcome.Passed($"TLS ({_dto.TlsMode}, {client.SslProtocol}) with {Endpoint}: the certificate is trusted.",
                $"{trust.Seen?.Subject}, issued by {trust.Seen?.Issuer}, SHA-256 {trust.SeenThumbprint}"));
        return true;
    }

    private async Task<bool> AuthenticateAsync(SmtpClient client, CheckReport report, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(_dto.Username))
        {
            report.Report(_auth, CheckOutcome.Skipped("No username: the relay must accept mail from the appliance without AUTH (only a test mail proves it)."));
            return true;
        }
        if (!client.Capabilities.HasFlag(SmtpCapabilities.Authentication))
            return Stop(report, _auth, CheckOutcome.Failed(
                $"{_dto.Alias} at {Endpoint} offers no AUTH{(_dto.TlsMode == SmtpTlsMode.None ? " without TLS (many relays offer it only after STARTTLS)" : "")}; clear the username if it relays without a login.", "username"), "No AUTH offered.");
        if (string.IsNullOrEmpty(_password))
            return Stop(report, _auth, CheckOutcome.Failed($"No password is set for {_dto.Username}.", "password"), "No password.");
        try
        {
            await client.AuthenticateAsync(_dto.Username, _password, ct);
            report.Report(_auth, CheckOutcome.Passed($"{_dto.Username} logged in to {Endpoint} (offered: {string.Join(", ", client.AuthenticationMechanisms)})."));
            return true;
        }
        catch (AuthenticationException)
        {
            return Stop(report, _auth, CheckOutcome.Failed($"{_dto.Alias} at {Endpoint}: login refused for user {_dto.Username}.", "password"), "The login was refused.");
        }
    }

    private async Task SendAsync(SmtpClient client, CheckReport report, CancellationToken ct)
    {
        if (!MailboxAddress.TryParse(_dto.FromAddress ?? "", out var from))
        {
            report.Report(_send!, CheckOutcome.Failed($"'{_dto.FromAddress}' is not a mail address.", "fromAddress"));
            return;
        }
        if (!MailboxAddress.TryParse(_recipient!, out var to))
        {
            report.Report(_send!, CheckOutcome.Failed($"'{_recipient}' is not a mail address."));
            return;
        }
        using var message = new MimeMessage([from], [to], $"Runner Appliance: test mail through {_dto.Alias}",
            new TextPart("plain") { Text = $"Sent by the Runner Appliance's preflight through {Endpoint} to prove that mail from {from.Address} is relayed." });
        try
        {
            var answer = await client.SendAsync(message, ct);
            report.Report(_send!, CheckOutcome.Passed($"{Endpoint} accepted a test mail from {from.Address} to {to.Address}: {answer}"));
        }
        catch (SmtpCommandException e) when (e.ErrorCode is SmtpErrorCode.SenderNotAccepted or SmtpErrorCode.RecipientNotAccepted)
        {
            var refused = e.ErrorCode == SmtpErrorCode.SenderNotAccepted ? $"the sender {from.Address}" : $"the recipient {to.Address}";
            report.Report(_send!, CheckOutcome.Failed($"{Endpoint} refused {refused}: {(int)e.StatusCode} {e.Message}",
                e.ErrorCode == SmtpErrorCode.SenderNotAccepted ? "fromAddress" : null));
        }
    }
}
