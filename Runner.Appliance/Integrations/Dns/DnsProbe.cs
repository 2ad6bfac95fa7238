using System.Net;
using DnsClient;
using DnsClient.Protocol;

namespace Runner.Appliance.Integrations.Dns;

/// <summary>Questions to one DNS server, asked directly (no cache, no fallback to the appliance's own resolver).</summary>
public sealed class DnsProbe(IPAddress server, TimeSpan timeout)
{
    private readonly LookupClient _client = new(new LookupClientOptions(new NameServer(server, 53))
    {
        Timeout = timeout, Retries = 0, UseCache = false, ThrowDnsErrors = false, UseTcpFallback = true, ContinueOnDnsError = false,
    });

    public IPAddress Server => server;

    /// <summary>Any answer (even "no such name") proves the server serves DNS; silence throws.</summary>
    public async Task<string> AnswersAsync(string name, CancellationToken ct)
    {
        var response = await _client.QueryAsync(name, QueryType.SOA, cancellationToken: ct);
        return response.HasError ? $"answers ({response.ErrorMessage} for {name})" : "answers";
    }

    /// <summary>The A records of <paramref name="fqdn"/> (empty when none).</summary>
    public async Task<IReadOnlyList<IPAddress>> ForwardAsync(string fqdn, CancellationToken ct)
    {
        var response = await _client.QueryAsync(fqdn, QueryType.A, cancellationToken: ct);
        return [.. response.Answers.OfType<ARecord>().Select(a => a.Address)];
    }

    /// <summary>The PTR names of <paramref name="address"/>, without the trailing dot.</summary>
    public async Task<IReadOnlyList<string>> ReverseAsync(IPAddress address, CancellationToken ct)
    {
        var response = await _client.QueryReverseAsync(address, ct);
        return [.. response.Answers.OfType<PtrRecord>().Select(p => p.PtrDomainName.Value.TrimEnd('.'))];
    }
}
