using System.DirectoryServices.Protocols;
using Runner.Appliance.Features.Configuration.Collections;
using Runner.Appliance.Features.Services;
using Runner.Appliance.Integrations.Ldap;
using Runner.Appliance.Integrations.Tls;

namespace Runner.Appliance.Features.Preflight.Ldap;

/// <summary>One directory: a bounded probe first (<see cref="LdapProbe"/>), then the real conversation through libldap.</summary>
internal sealed partial class LdapCheckGroup : CheckGroup
{
    private readonly LdapTarget _target;
    private readonly LdapDirectoryDto _dto;
    private readonly string? _password;
    private readonly SiteAuthorities _authorities;
    private readonly CheckDefinition _connect, _tls, _bind, _baseDn, _userFilter;
    private readonly CheckDefinition? _groupFilter;
    private string? _certificate;

    public LdapCheckGroup(LdapTarget target, LdapDirectoryDto dto, string? password, TimeSpan timeout, SiteAuthorities authorities)
        : base(ItemKinds.Ldap.Owner(dto.Id), timeout)
    {
        (_target, _dto, _password, _authorities) = (target, dto, password, authorities);
        var alias = dto.Alias ?? "";
        FieldRef Field(string field) => FieldRef.ForItem(ItemKinds.Ldap, dto.Id, alias, field);
        string Id(string aspect) => $"ldap.{alias.ToLowerInvariant()}.{aspect}";
        _connect = Define(Id("connect"), "Directory", $"Directory {alias} answers on {target.Endpoint}", CheckSeverity.Blocking, Field("url"));
        _tls = Define(Id("tls"), "Directory", $"TLS ({target.Mode}) with {alias}", CheckSeverity.Blocking, Field("tlsMode"));
        _bind = Define(Id("bind"), "Directory", $"{dto.BindDn} binds to {alias}", CheckSeverity.Blocking, Field("bindPassword"));
        _baseDn = Define(Id("baseDn"), "Directory", $"Base DN {dto.BaseDn} exists in {alias}", CheckSeverity.Blocking, Field("baseDn"));
        _userFilter = Define(Id("userFilter"), "Directory", $"User filter finds users in {alias}", CheckSeverity.Blocking, Field("userFilter"));
        if (!string.IsNullOrWhiteSpace(dto.GroupFilter))
            _groupFilter = Define(Id("groupFilter"), "Directory", $"Group filter finds groups in {alias}", CheckSeverity.Warning, Field("groupFilter"));
    }

    public override Task RunAsync(CheckReport report, CancellationToken ct) => WithinAnswerAsync(report, async answer =>
        {
            Begin(_connect);
            if (!await ProbeAsync(report, answer))
                return;
            // libldap blocks; the token cannot stop it, so we stop waiting instead. The thread ends
            // on its own: the server has just answered, and the conversation disposes the connection.
            await Task.Run(() => Converse(report, ct), CancellationToken.None).WaitAsync(answer);
        },
        () => CheckOutcome.Failed(
            $"No answer from {_dto.Alias} at {_target.Endpoint} within {Answer.TotalSeconds:0.#} s: it accepts TCP but does not answer (a proxy, a firewall, or a hung server?).", "url"),
        $"{_target.Endpoint} did not answer.", ct);

    private async Task<bool> ProbeAsync(CheckReport report, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(_target.Host))
            return Stop(report, _connect, CheckOutcome.Failed($"The URL '{_dto.Url}' names no host; expected ldap://host or ldaps://host.", "url"), "No host to connect to.");
        var probe = await LdapProbe.RunAsync(_target.Host, _target.Port, _target.Mode == LdapTlsMode.Ldaps, _target.Mode == LdapTlsMode.StartTls,
            ServerTrust.AcceptAny(), ct);
        var fail = probe.Reached switch
        {
            LdapProbe.Stage.Tcp => (_connect, $"Cannot reach {_dto.Alias} at {_target.Endpoint}: {probe.Error}.", "url"),
            LdapProbe.Stage.Tls => (_tls, $"TLS ({_target.Mode}) with {_target.Endpoint} failed: {probe.Error}. "
                + (_target.Mode == LdapTlsMode.Ldaps ? "Is this the plain LDAP port (LDAPS is usually 636)?" : "Check the TLS mode."), "tlsMode"),
            LdapProbe.Stage.Ldap => (_connect, $"{_dto.Alias} at {_target.Endpoint}: {probe.Error}.", "url"),
            _ => default((CheckDefinition, string, string)?),
        };
        if (probe.Reached != LdapProbe.Stage.Tcp)
            report.Report(_connect, CheckOutcome.Passed($"{_target.Endpoint} accepts connections."));
        if (fail is var (check, message, field))
            return Stop(report, check, CheckOutcome.Failed(message, field, probe.Certificate), $"{_target.Endpoint} is not usable.");
        _certificate = probe.Certificate;
        return true;
    }

    private void Converse(CheckReport report, CancellationToken ct)
    {
        try
        {
            using var conversation = new LdapConversation(_target.Host, _target.Port, _target.Mode == LdapTlsMode.Ldaps, _dto.BindDn, _password, Timeout, _authorities);
            Converse(conversation, report, ct);
        }
        catch (DirectoryException e)
        {
            // The server went away mid-conversation, or answered something none of the steps expects.
            Interrupt(report, CheckOutcome.Failed($"{_dto.Alias} at {_target.Endpoint}: {e.Message}", "url"), $"{_target.Endpoint} ended the conversation.");
        }
    }

    private void Converse(LdapConversation conversation, CheckReport report, CancellationToken ct)
    {
        Begin(_tls);
        if (!Secure(conversation, report))
            return;
        Begin(_bind);
        if (!Bind(conversation, report))
            return;
        Begin(_baseDn);
        if (!BaseExists(conversation, report))
            return;
        Begin(_userFilter);
        Count(conversation, report, _userFilter, _dto.UserFilter, "userFilter", "users", CheckStatus.Failed, ct);
        if (_groupFilter is not null)
        {
            Begin(_groupFilter);
            Count(conversation, report, _groupFilter, _dto.GroupFilter, "groupFilter", "groups", CheckStatus.Warning, ct);
        }
    }
}
