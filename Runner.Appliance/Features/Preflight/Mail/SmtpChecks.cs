using Microsoft.Extensions.Options;
using Runner.Appliance.Features.Configuration.Collections;

namespace Runner.Appliance.Features.Preflight.Mail;

/// <summary>
/// Checks each configured mail relay: it answers, TLS as configured, the AUTH login; and, only when
/// asked for one recipient, that it accepts a test mail.
/// </summary>
public sealed class SmtpChecks(IOptions<PreflightOptions> options) : IPreflightSource
{
    /// <summary>
    /// The full preflight never sends mail: it runs often (before every run, on every change) and a
    /// customer's mailbox is not a place for test traffic. Only an SMTP server's own test with a
    /// recipient (<see cref="PreflightInputs.TestRecipient"/>, a technician's explicit "send a test
    /// mail") adds the send check.
    /// </summary>
    public IEnumerable<CheckGroup> Groups(PreflightInputs inputs) =>
        inputs.Configuration.Smtp.Select((dto, i) => new SmtpCheckGroup(dto, inputs.Secret(ItemKinds.Smtp, i, "password"),
            options.Value.CheckTimeout, inputs.Authorities, inputs.TestRecipient));
}
