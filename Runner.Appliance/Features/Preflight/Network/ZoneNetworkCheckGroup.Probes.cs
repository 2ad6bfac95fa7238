using System.Globalization;
using System.Net;
using DnsClient;
using Runner.Appliance.Integrations.Dns;
using Runner.Appliance.Integrations.Network;
using Runner.Appliance.Integrations.Ntp;

namespace Runner.Appliance.Features.Preflight.Network;

internal sealed partial class ZoneNetworkCheckGroup
{
    private const int ParallelProbes = 32;
    private static readonly TimeSpan MaxClockOffset = TimeSpan.FromSeconds(1);

    private async Task DnsAndRecordsAsync(CheckReport report, CancellationToken ct)
    {
        var servers = Addresses(_zone.DnsServers);
        if (servers.Count == 0)
        {
            report.Report(_dns, CheckOutcome.Failed($"Zone {_zone.Name} has no DNS server; enter at least one address."));
            report.Report(_records, CheckOutcome.Skipped("No DNS server to ask."));
            return;
        }
        var question = string.IsNullOrEmpty(_domain) ? "." : _domain;
        var answers = await Task.WhenAll(servers.Select(async s =>
        {
            var probe = new DnsProbe(s, _probeTimeout);
            try
            {
                return (Probe: probe, Said: await probe.AnswersAsync(question, ct), Ok: true);
            }
            catch (DnsResponseException e)
            {
                return (Probe: probe, Said: e.Code == DnsResponseCode.ConnectionTimeout ? $"no answer within {_probeTimeout.TotalSeconds:0} s" : e.Message, Ok: false);
            }
        }));
        var silent = answers.Where(a => !a.Ok).ToList();
        report.Report(_dns, silent.Count == 0
            ? CheckOutcome.Passed(string.Join("; ", answers.Select(a => $"{a.Probe.Server} {a.Said}")))
            : CheckOutcome.Failed($"DNS server{(silent.Count > 1 ? "s" : "")} {string.Join(", ", silent.Select(a => $"{a.Probe.Server} ({a.Said})"))} of zone {_zone.Name} "
                + "did not answer on port 53: check the address and that UDP/TCP 53 is open from the appliance."));
        var working = answers.FirstOrDefault(a => a.Ok).Probe;
        report.Report(_records, working is null ? CheckOutcome.Skipped("No DNS server answered.") : await RecordsAsync(working, ct));
    }

    private async Task<CheckOutcome> RecordsAsync(DnsProbe dns, CancellationToken ct)
    {
        var vms = _vms.Where(v => !string.IsNullOrEmpty(v.HostName) && IPAddress.TryParse(v.IpAddress, out _)).ToList();
        if (vms.Count == 0)
            return CheckOutcome.Skipped($"No VM is planned in zone {_zone.Name} yet (Architecture step).");
        using var slots = new SemaphoreSlim(ParallelProbes);
        var problems = await Task.WhenAll(vms.Select(async vm =>
        {
            await slots.WaitAsync(ct);
            try
            {
                var fqdn = string.IsNullOrEmpty(_domain) ? vm.HostName! : $"{vm.HostName}.{_domain}";
                var ip = IPAddress.Parse(vm.IpAddress!);
                var forward = await dns.ForwardAsync(fqdn, ct);
                var reverse = await dns.ReverseAsync(ip, ct);
                var issues = new List<string>();
                if (forward.Count == 0)
                    issues.Add($"{fqdn} has no A record");
                else if (!forward.Contains(ip))
                    issues.Add($"{fqdn} points to {string.Join(", ", forward)} instead of {ip}");
                if (!reverse.Contains(fqdn, StringComparer.OrdinalIgnoreCase))
                    issues.Add(reverse.Count == 0 ? $"{ip} has no PTR record" : $"{ip} points back to {string.Join(", ", reverse)} instead of {fqdn}");
                return issues;
            }
            finally
            {
                slots.Release();
            }
        }));
        var all = problems.SelectMany(p => p).ToList();
        return all.Count == 0
            ? CheckOutcome.Passed($"All {vms.Count} VMs of {_zone.Name} resolve both ways on {dns.Server}.")
            : CheckOutcome.Warn($"{all.Count} record problem{(all.Count > 1 ? "s" : "")} on {dns.Server} for zone {_zone.Name}: {string.Join("; ", all.Take(5))}{(all.Count > 5 ? "; …" : "")}. "
                + "Ask the DNS administrator to add the A and PTR records (the CSV export lists every name and address).", detail: string.Join("\n", all));
    }

    private async Task<CheckOutcome> NtpAsync(CancellationToken ct)
    {
        var names = _zone.NtpServers?.Where(n => !string.IsNullOrWhiteSpace(n)).ToList() ?? [];
        if (names.Count == 0)
            return CheckOutcome.Failed($"Zone {_zone.Name} has no NTP server; the clusters need one (RKE2, Vault and Kerberos tolerate little drift).");
        var results = await Task.WhenAll(names.Select(async name =>
        {
            try
            {
                var address = IPAddress.TryParse(name, out var ip) ? ip : (await Dns.GetHostAddressesAsync(name, ct)).First();
                using var bound = CancellationTokenSource.CreateLinkedTokenSource(ct);
                bound.CancelAfter(_probeTimeout);
                var answer = await Sntp.QueryAsync(address, 123, _clock, bound.Token);
                // Sign by hand: a section format prints a tiny negative value as "-+0.000".
                var seconds = answer.Offset.TotalSeconds;
                var offset = (seconds < 0 ? "-" : "+") + Math.Abs(seconds).ToString("0.000", CultureInfo.InvariantCulture);
                return Math.Abs(answer.Offset.Ticks) <= MaxClockOffset.Ticks
                    ? (Ok: true, Said: $"{name} stratum {answer.Stratum}, offset {offset} s")
                    : (Ok: false, Said: $"{name} answers but the appliance clock is off by {offset} s (more than 1 s): set the appliance's time (or let chronyd sync it) before deploying");
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return (Ok: false, Said: $"{name} did not answer on UDP 123 within {_probeTimeout.TotalSeconds:0} s");
            }
            catch (System.Net.Sockets.SocketException e) when (e.SocketErrorCode == System.Net.Sockets.SocketError.ConnectionRefused)
            {
                return (Ok: false, Said: $"{name} is not an NTP server: nothing answers on UDP 123 (port unreachable)");
            }
            catch (Exception e) when (e is System.Net.Sockets.SocketException or InvalidDataException or InvalidOperationException)
            {
                return (Ok: false, Said: $"{name}: {e.Message}");
            }
        }));
        var bad = results.Where(r => !r.Ok).ToList();
        return bad.Count == 0 ? CheckOutcome.Passed(string.Join("; ", results.Select(r => r.Said)))
            : CheckOutcome.Failed($"Zone {_zone.Name}: {string.Join("; ", bad.Select(r => r.Said))}.");
    }

    private async Task<CheckOutcome> GatewayAsync(CancellationToken ct)
    {
        if (!IPAddress.TryParse(_zone.Gateway, out var gateway))
            return CheckOutcome.Failed($"Zone {_zone.Name} has no valid gateway address.");
        var presence = await AddressProbe.ProbeAsync(gateway, _probeTimeout, ct);
        return presence.Answers ? CheckOutcome.Passed($"Gateway {gateway} {presence.How}.")
            : CheckOutcome.Warn($"Gateway {gateway} of zone {_zone.Name} does not answer ping from the appliance ({presence.How}); "
                + "check the address, or that ICMP is allowed if the appliance is in another zone.");
    }

    private async Task<CheckOutcome> AddressesAsync(CancellationToken ct)
    {
        if (_provisioned)
            return CheckOutcome.Skipped("The VMs are provisioned: their addresses answer because they are in use by them.");
        var planned = _vms.Where(v => IPAddress.TryParse(v.IpAddress, out _)).ToList();
        if (planned.Count == 0)
            return CheckOutcome.Skipped($"No VM address is planned in zone {_zone.Name} yet (Architecture step).");
        using var slots = new SemaphoreSlim(ParallelProbes);
        var taken = (await Task.WhenAll(planned.Select(async vm =>
        {
            await slots.WaitAsync(ct);
            try
            {
                var presence = await AddressProbe.ProbeAsync(IPAddress.Parse(vm.IpAddress!), _probeTimeout, ct);
                return presence.Answers ? $"{vm.IpAddress} (planned for {vm.HostName}) {presence.How}" : null;
            }
            finally
            {
                slots.Release();
            }
        }))).OfType<string>().ToList();
        return taken.Count == 0
            ? CheckOutcome.Passed($"None of the {planned.Count} planned addresses of {_zone.Name} answers.")
            : CheckOutcome.Failed($"{taken.Count} planned address{(taken.Count > 1 ? "es are" : " is")} already in use: {string.Join("; ", taken)}. "
                + "Another machine answers there: add the address to the zone's excluded addresses and generate again, or free it.", detail: string.Join("\n", taken));
    }

    private static List<IPAddress> Addresses(IEnumerable<string>? values) =>
        [.. (values ?? []).Select(v => IPAddress.TryParse(v, out var ip) ? ip : null).OfType<IPAddress>()];
}
