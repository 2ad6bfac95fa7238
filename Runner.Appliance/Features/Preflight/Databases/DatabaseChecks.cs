using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Runner.Appliance.Features.Services;
using Runner.Appliance.Integrations.Network;

namespace Runner.Appliance.Features.Preflight.Databases;

/// <summary>Checks each configured database server: reachable, the login accepted, the database present.</summary>
public sealed class DatabaseChecks(IOptions<PreflightOptions> options) : IPreflightSource
{
    public IEnumerable<CheckGroup> Groups(PreflightInputs inputs) =>
        inputs.Configuration.Databases.Select((dto, i) => dto.Kind == DatabaseKind.Informix
            ? (CheckGroup)new InformixGroup(dto, options.Value.CheckTimeout)
            : new PostgresCheckGroup(dto, inputs.Secret("databases", i, "password"), options.Value.CheckTimeout));

    internal static FieldRef Target(DatabaseServerDto dto, string field) =>
        FieldRef.ForItem("wizard/services", "databases", dto.Id, dto.Alias ?? "", field);

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

    private sealed class InformixGroup : CheckGroup
    {
        private readonly DatabaseServerDto _dto;
        private readonly CheckDefinition _connect;
        private readonly CheckDefinition _login;

        public InformixGroup(DatabaseServerDto dto, TimeSpan timeout) : base($"databases:{dto.Id}", timeout)
        {
            _dto = dto;
            _connect = Define(Id(dto, "connect"), "Databases", $"Informix {dto.Alias} answers on {Endpoint(dto)}", CheckSeverity.Blocking, Target(dto, "host"));
            _login = Define(Id(dto, "login"), "Databases", $"Informix {dto.Alias} accepts user {dto.Username}", CheckSeverity.Warning, Target(dto, "password"));
        }

        public override async Task RunAsync(CheckReport report, CancellationToken ct)
        {
            using var bound = CancellationTokenSource.CreateLinkedTokenSource(ct);
            bound.CancelAfter(Timeout * 0.8);
            CheckOutcome reached;
            try
            {
                reached = await ReachAsync(_dto.Host, Port(_dto), $"Informix {_dto.Alias}", bound.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                reached = CheckOutcome.Failed($"No answer from Informix {_dto.Alias} at {Endpoint(_dto)} within {Timeout.TotalSeconds:0.#} s (a firewall may drop the traffic).", "host");
            }
            report.Report(_connect, reached);
            // The SQLI protocol needs IBM's client libraries; without them the login cannot be tried.
            report.Report(_login, CheckOutcome.Warn(
                $"Login, database '{_dto.DatabaseName}' and INFORMIXSERVER '{_dto.InformixServer}' are not verified: the Informix protocol check needs the Informix client (CSDK), which the appliance image does not ship. Verify them with dbaccess on a host that has it."));
        }
    }
}
