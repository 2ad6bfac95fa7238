using Runner.Appliance.Features.Configuration.Collections;
using Runner.Appliance.Features.Services;

namespace Runner.Appliance.Features.Preflight.Databases;

/// <summary>One Informix server: TCP reach only; the login needs IBM's client, which the appliance does not ship.</summary>
internal sealed class InformixCheckGroup : CheckGroup
{
    private readonly DatabaseServerDto _dto;
    private readonly CheckDefinition _connect;
    private readonly CheckDefinition _login;

    public InformixCheckGroup(DatabaseServerDto dto, TimeSpan timeout) : base(ItemKinds.Databases.Owner(dto.Id), timeout)
    {
        _dto = dto;
        var endpoint = DatabaseChecks.Endpoint(dto);
        _connect = Define(DatabaseChecks.Id(dto, "connect"), "Databases", $"Informix {dto.Alias} answers on {endpoint}", CheckSeverity.Blocking, DatabaseChecks.Target(dto, "host"));
        _login = Define(DatabaseChecks.Id(dto, "login"), "Databases", $"Informix {dto.Alias} accepts user {dto.Username}", CheckSeverity.Warning, DatabaseChecks.Target(dto, "password"));
    }

    public override async Task RunAsync(CheckReport report, CancellationToken ct)
    {
        Begin(_connect);
        // Silence fails the connect check only: the login's warning below holds either way.
        await WithinAnswerAsync(report,
            async answer => report.Report(_connect, await DatabaseChecks.ReachAsync(_dto.Host, DatabaseChecks.Port(_dto), $"Informix {_dto.Alias}", answer)),
            () => CheckOutcome.Failed($"No answer from Informix {_dto.Alias} at {DatabaseChecks.Endpoint(_dto)} within {Timeout.TotalSeconds:0.#} s (a firewall may drop the traffic).", "host"),
            reason: null, ct);
        // The SQLI protocol needs IBM's client libraries; without them the login cannot be tried.
        report.Report(_login, CheckOutcome.Warn(
            $"Login, database '{_dto.DatabaseName}' and INFORMIXSERVER '{_dto.InformixServer}' are not verified: the Informix protocol check needs the Informix client (CSDK), which the appliance image does not ship. Verify them with dbaccess on a host that has it."));
    }
}
