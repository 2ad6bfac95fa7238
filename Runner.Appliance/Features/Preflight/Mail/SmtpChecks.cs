using Microsoft.Extensions.Options;
using Runner.Appliance.Features.Hypervisors;

namespace Runner.Appliance.Features.Preflight.Mail;

/// <summary>
/// Checks each configured mail relay: it answers, TLS as configured, the AUTH login; and, only when
/// asked for one recipient, that it accepts a test mail.
/// </summary>
public sealed class SmtpChecks(IOptions<PreflightOptions> options) : IPreflightSource
{
    /// <summary>How the relay's certificate is trusted: the system store unless a test (self-signed server) says otherwise.</summary>
    public CertificatePolicy CertificatePolicy { get; init; } = CertificatePolicy.Verify;

    /// <summary>SHA-256 of the certificate to trust with <see cref="CertificatePolicy.TrustThumbprint"/>.</summary>
    public string? Thumbprint { get; init; }

    /// <summary>
    /// The full preflight never sends mail: it runs often (before every run, on every change) and a
    /// customer's mailbox is not a place for test traffic. Only an SMTP server's own test with a
    /// recipient (<see cref="PreflightInputs.TestRecipient"/>, a technician's explicit "send a test
    /// mail") adds the send check.
    /// </summary>
    public IEnumerable<CheckGroup> Groups(PreflightInputs inputs) => Groups(inputs, inputs.TestRecipient);

    /// <summary>The relays' groups; with <paramref name="testRecipient"/>, each also sends one test mail to it.</summary>
    public IEnumerable<CheckGroup> Groups(PreflightInputs inputs, string? testRecipient) =>
        inputs.Configuration.Smtp.Select((dto, i) => new SmtpCheckGroup(dto, inputs.Secret("smtp", i, "password"),
            options.Value.CheckTimeout, () => new ServerTrust(CertificatePolicy, Thumbprint), testRecipient));
}
