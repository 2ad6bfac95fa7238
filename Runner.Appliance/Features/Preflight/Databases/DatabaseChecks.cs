using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Runner.Appliance.Features.Configuration.Collections;
using Runner.Appliance.Features.Services;
using Runner.Appliance.Integrations.Network;

namespace Runner.Appliance.Features.Preflight.Databases;

/// <summary>Checks each configured database server: reachable, the login accepted, the database present.</summary>
public sealed class DatabaseChecks(IOptions<PreflightOptions> options) : IPreflightSource
{
    public IEnumerable<CheckGroup> Groups(PreflightInputs inputs) =>
        inputs.Configuration.Databases.Select((dto, i) => dto.Kind == DatabaseKind.Informix
            ? (CheckGroup)new InformixCheckGroup(dto, options.Value.CheckTimeout)
            : new PostgresCheckGroup(dto, inputs.Secret(ItemKinds.Databases, i, "password"), options.Value.CheckTimeout));

    internal static FieldRef Target(DatabaseServerDto dto, string field) =>
        FieldRef.ForItem(ItemKinds.Databases, dto.Id, dto.Alias ?? "", field);

    internal static string Id(DatabaseServerDto dto, string aspect) => $"databases.{(dto.Alias ?? "").ToLowerInvariant()}.{aspect}";

    internal static string Endpoint(DatabaseServerDto dto) => $"{dto.Host}:{Port(dto)}";

    internal static int Port(DatabaseServerDto dto) => dto.Port ?? DatabaseServerDto.DefaultPort(dto.Kind);

    /// <summary>
    /// A plain TCP connect, bounded by <paramref name="ct"/>: it tells "nothing listens there" and
    /// "no answer" apart from a refused login, which the database protocol alone blurs.
    /// </summary>
    internal static async Task<CheckOutcome> ReachAsync(string? host, int port, string what, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(host))
            return CheckOutcome.Failed($"No host is configured for {what}.", "host");
        try
        {
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(host, port, ct);
            return CheckOutcome.Passed($"{host}:{port} accepts connections.");
        }
        catch (SocketException e)
        {
            return CheckOutcome.Failed($"Cannot reach {what} at {host}:{port}: {SocketErrors.Describe(e)}.", "host");
        }
    }
}
