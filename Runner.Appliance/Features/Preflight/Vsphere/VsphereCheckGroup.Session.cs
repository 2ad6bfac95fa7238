using System.Net.Sockets;
using Runner.Appliance.Features.Hypervisors;
using Runner.Appliance.Validation;
using Runner.Appliance.Integrations.Tls;
using Runner.Appliance.Integrations.Vsphere;

namespace Runner.Appliance.Features.Preflight.Vsphere;

// Reaching the server and logging in: each failure names the field to correct (host, port, thumbprint, password).
public sealed partial class VsphereCheckGroup
{
    private async Task<VsphereClient?> ConnectAsync(HttpClient http, ServerTrust trust, CheckReport report, CancellationToken ct)
    {
        Begin(Tls);
        if (_hypervisor.Host.TrimmedOrNull() is not { } host)
        {
            report.Report(Tls, CheckOutcome.Failed($"No host is set for {_alias}.", "host"));
            return null;
        }
        var client = new VsphereClient(http, VsphereClient.SdkUri(host, Port));
        try
        {
            var content = await client.RetrieveServiceContentAsync(ct);
            var detail = $"Certificate SHA-256 thumbprint: {trust.SeenThumbprint}";
            var expected = HypervisorValidator.KindName(_hypervisor.Kind);
            if (content.IsVCenter != (_hypervisor.Kind == HypervisorKind.VCenter))
                report.Report(Tls, CheckOutcome.Failed(
                    $"{Where} is {(content.IsVCenter ? "a vCenter" : "a standalone ESXi host")} ({content.FullName}), but {_alias} is configured as a {expected}.", "kind", detail));
            else
                report.Report(Tls, CheckOutcome.Passed($"{content.FullName} answers at {Where}; its certificate {Accepted()}.", detail));
            return client;
        }
        catch (HttpRequestException e)
        {
            report.Report(Tls, Unreachable(e, trust, host));
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            report.Report(Tls, CheckOutcome.Failed($"No answer from {Where} within {Timeout.TotalSeconds:0.#} s.", "host"));
        }
        catch (VsphereProtocolException e)
        {
            report.Report(Tls, CheckOutcome.Failed(e.Message, _hypervisor.Port == 0 ? "host" : "port", $"Certificate SHA-256 thumbprint: {trust.SeenThumbprint}"));
        }
        catch (VsphereFaultException e)
        {
            report.Report(Tls, CheckOutcome.Failed($"{Where} refused to describe itself: {e.Message} ({e.FaultType}).", "host"));
        }
        return null;
    }

    private string Accepted() => _hypervisor.CertificatePolicy switch
    {
        CertificatePolicy.TrustThumbprint => "matches the pinned thumbprint",
        CertificatePolicy.AcceptAny => "was accepted without verification (policy: accept any)",
        _ => "is trusted by this appliance",
    };

    private CheckOutcome Unreachable(HttpRequestException e, ServerTrust trust, string host)
    {
        if (trust.Refusal is { } refusal)
            return CheckOutcome.Failed($"{Where} answered TLS, but {refusal}.",
                _hypervisor.CertificatePolicy == CertificatePolicy.TrustThumbprint ? "thumbprint" : "certificatePolicy",
                $"Certificate SHA-256 thumbprint: {trust.SeenThumbprint}");
        var cause = e.InnerException?.Message ?? e.Message;
        return e.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError => CheckOutcome.Failed($"Host '{host}' does not resolve ({cause}).", "host"),
            HttpRequestError.ConnectionError when e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused } =>
                CheckOutcome.Failed($"Nothing answers on {Where} (connection refused); a vCenter or ESXi host listens for HTTPS on port 443 unless changed.", _hypervisor.Port == 0 ? "host" : "port"),
            HttpRequestError.SecureConnectionError => CheckOutcome.Failed($"TLS with {Where} failed: {cause}", "host"),
            _ => CheckOutcome.Failed($"{Where} cannot be reached: {cause}", "host"),
        };
    }

    private async Task<bool> LoginAsync(VsphereClient client, CheckReport report, CancellationToken ct)
    {
        Begin(Login);
        if (_hypervisor.Username.TrimmedOrNull() is not { } user)
        {
            report.Report(Login, CheckOutcome.Failed($"No user name is set for {_alias}.", "username"));
            return false;
        }
        if (string.IsNullOrEmpty(_password))
        {
            report.Report(Login, CheckOutcome.Failed($"No password is set for user {user}.", "password"));
            return false;
        }
        try
        {
            await client.LoginAsync(user, _password, ct);
            report.Report(Login, CheckOutcome.Passed($"Logged in to {_alias} as {user}."));
            return true;
        }
        catch (VsphereLoginRefusedException)
        {
            report.Report(Login, CheckOutcome.Failed($"{_alias}: login refused for user {user}; check the user name and the password.", "password"));
        }
        catch (VsphereFaultException e)
        {
            report.Report(Login, CheckOutcome.Failed($"{_alias}: login as {user} failed: {e.Message} ({e.FaultType}).", "username"));
        }
        return false;
    }
}
