using System.DirectoryServices.Protocols;
using System.Net;
using Runner.Appliance.Features.Services;
using Runner.Appliance.Integrations.Ldap;
using Runner.Appliance.Integrations.Tls;

namespace Runner.Appliance.Features.Preflight.Ldap;

/// <summary>One directory: a bounded probe first (<see cref="LdapProbe"/>), then the real conversation through libldap.</summary>
internal sealed class LdapCheckGroup : CheckGroup
{
    private readonly LdapTarget _target;
    private readonly LdapDirectoryDto _dto;
    private readonly string? _password;
    private readonly string? _siteCaPem;
    private readonly CheckDefinition _connect, _tls, _bind, _baseDn, _userFilter;
    private readonly CheckDefinition? _groupFilter;
    private volatile CheckDefinition _pending;
    private string? _certificate;

    public LdapCheckGroup(LdapTarget target, LdapDirectoryDto dto, string? password, TimeSpan timeout, string? siteCaPem)
        : base($"ldap:{dto.Id}", timeout)
    {
        (_target, _dto, _password, _siteCaPem) = (target, dto, password, siteCaPem);
        var alias = dto.Alias ?? "";
        FieldRef Field(string field) => FieldRef.ForItem("wizard/services", "ldap", dto.Id, alias, field);
        string Id(string aspect) => $"ldap.{alias.ToLowerInvariant()}.{aspect}";
        _connect = Define(Id("connect"), "Directory", $"Directory {alias} answers on {target.Endpoint}", CheckSeverity.Blocking, Field("url"));
        _tls = Define(Id("tls"), "Directory", $"TLS ({target.Mode}) with {alias}", CheckSeverity.Blocking, Field("tlsMode"));
        _bind = Define(Id("bind"), "Directory", $"{dto.BindDn} binds to {alias}", CheckSeverity.Blocking, Field("bindPassword"));
        _baseDn = Define(Id("baseDn"), "Directory", $"Base DN {dto.BaseDn} exists in {alias}", CheckSeverity.Blocking, Field("baseDn"));
        _userFilter = Define(Id("userFilter"), "Directory", $"User filter finds users in {alias}", CheckSeverity.Blocking, Field("userFilter"));
        if (!string.IsNullOrWhiteSpace(dto.GroupFilter))
            _groupFilter = Define(Id("groupFilter"), "Directory", $"Group filter finds groups in {alias}", CheckSeverity.Warning, Field("groupFilter"));
        _pending = _connect;
    }

    /// <summary>How long the server has to answer: inside the runner's bound, to report a silent server at the URL ourselves.</summary>
    private TimeSpan Answer => Timeout * 0.8;

    public override async Task RunAsync(CheckReport report, CancellationToken ct)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bound.CancelAfter(Answer);
        try
        {
            if (!await ProbeAsync(report, bound.Token))
                return;
            // libldap blocks; the token cannot stop it, so we stop waiting instead. The thread ends
            // on its own: the server has just answered, and the conversation disposes the connection.
            await Task.Run(() => Converse(report, ct), CancellationToken.None).WaitAsync(bound.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            report.Report(_pending, CheckOutcome.Failed(
                $"No answer from {_dto.Alias} at {_target.Endpoint} within {Answer.TotalSeconds:0.#} s: it accepts TCP but does not answer (a proxy, a firewall, or a hung server?).", "url"));
            report.SkipRest(Checks, $"{_target.Endpoint} did not answer.");
        }
    }

    private async Task<bool> ProbeAsync(CheckReport report, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(_target.Host))
        {
            report.Report(_connect, CheckOutcome.Failed($"The URL '{_dto.Url}' names no host; expected ldap://host or ldaps://host.", "url"));
            report.SkipRest(Checks, "No host to connect to.");
            return false;
        }
        var probe = await LdapProbe.RunAsync(_target.Host, _target.Port, _target.Mode == LdapTlsMode.Ldaps, _target.Mode == LdapTlsMode.StartTls, ct);
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
        {
            report.Report(check, CheckOutcome.Failed(message, field, probe.Certificate));
            report.SkipRest(Checks, $"{_target.Endpoint} is not usable.");
            return false;
        }
        _certificate = probe.Certificate;
        return true;
    }

    private void Converse(CheckReport report, CancellationToken ct)
    {
        try
        {
            using var connection = Connect();
            Converse(new LdapConversation(connection, _dto, _target, report, Checks, ct));
        }
        catch (DirectoryException e)
        {
            // The server went away mid-conversation, or answered something none of the steps expects.
            report.Report(_pending, CheckOutcome.Failed($"{_dto.Alias} at {_target.Endpoint}: {e.Message}", "url"));
            report.SkipRest(Checks, $"{_target.Endpoint} ended the conversation.");
        }
    }

    private LdapConnection Connect()
    {
        var connection = new LdapConnection(new LdapDirectoryIdentifier(_target.Host, _target.Port),
            new NetworkCredential(_dto.BindDn, _password), AuthType.Basic) { AutoBind = false, Timeout = Timeout };
        connection.SessionOptions.ProtocolVersion = 3;
        // Active Directory answers with referrals to other domains; chasing them is slow and not what we test.
        connection.SessionOptions.ReferralChasing = ReferralChasingOptions.None;
        if (_target.Mode == LdapTlsMode.Ldaps)
            connection.SessionOptions.SecureSocketLayer = true;
        // libldap trusts the system bundle, or a directory holding it with the site CAs (security step).
        if (SiteAuthorities.Directory(_siteCaPem) is { } trusted && !OperatingSystem.IsWindows())
        {
            connection.SessionOptions.TrustedCertificatesDirectory = trusted;
            connection.SessionOptions.StartNewTlsSessionContext();
        }
        return connection;
    }

    private void Converse(LdapConversation conversation)
    {
        _pending = _tls;
        if (!conversation.Secure(_tls, _certificate))
            return;
        _pending = _bind;
        if (!conversation.Bind(_bind, _password))
            return;
        _pending = _baseDn;
        if (!conversation.BaseExists(_baseDn))
            return;
        _pending = _userFilter;
        conversation.Count(_userFilter, _dto.UserFilter, "userFilter", "users", CheckStatus.Failed);
        if (_groupFilter is not null)
        {
            _pending = _groupFilter;
            conversation.Count(_groupFilter, _dto.GroupFilter, "groupFilter", "groups", CheckStatus.Warning);
        }
    }
}
