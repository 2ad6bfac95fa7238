using Microsoft.AspNetCore.DataProtection;
using Runner.Appliance.Features.Audit;
using Runner.Appliance.Features.Services;
using Runner.Appliance.Security;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Services;

public sealed class ServiceValidatorTests : IDisposable
{
    private readonly TestStore _store = new();
    private readonly DatabaseServerService _databases;
    private readonly LdapDirectoryService _directories;
    private readonly SmtpServerService _smtp;

    public ServiceValidatorTests()
    {
        var protector = new SecretProtector(DataProtectionProvider.Create("tests"));
        var audit = new AuditLog(_store, TimeProvider.System);
        _databases = new DatabaseServerService(_store, audit, TimeProvider.System, protector);
        _directories = new LdapDirectoryService(_store, audit, TimeProvider.System, protector);
        _smtp = new SmtpServerService(_store, audit, TimeProvider.System, protector);
    }

    private static DatabaseServerDto Postgres(Action<DatabaseServerDto>? change = null)
    {
        var d = new DatabaseServerDto { Alias = "pg-main", Host = "127.0.0.1", DatabaseName = "runner", Username = "runner", Password = new SecretInput("pw") };
        change?.Invoke(d);
        return d;
    }

    private static LdapDirectoryDto Ldap(Action<LdapDirectoryDto>? change = null)
    {
        var d = new LdapDirectoryDto
        {
            Alias = "corp-ldap", Url = "ldap://ldap.example.local", TlsMode = LdapTlsMode.StartTls, BindDn = "cn=svc-runner,ou=services,dc=example,dc=local",
            BindPassword = new SecretInput("pw"), BaseDn = "dc=example,dc=local", UserFilter = "(objectClass=inetOrgPerson)", GroupFilter = "(&(objectClass=groupOfNames)(cn=ops*))",
        };
        change?.Invoke(d);
        return d;
    }

    private static SmtpServerDto Smtp(Action<SmtpServerDto>? change = null)
    {
        var d = new SmtpServerDto { Alias = "relay", Host = "smtp.example.local", TlsMode = SmtpTlsMode.StartTls, Username = "runner", Password = new SecretInput("pw"), FromAddress = "runner@example.local" };
        change?.Invoke(d);
        return d;
    }

    [Fact]
    public void GoodEntries_AreAccepted()
    {
        Assert.True(_databases.Validate(Postgres(), []).IsEmpty);
        Assert.True(_databases.Validate(Postgres(d => { d.Kind = DatabaseKind.Informix; d.InformixServer = "ol_prod"; }), []).IsEmpty);
        Assert.True(_directories.Validate(Ldap(), []).IsEmpty);
        Assert.True(_directories.Validate(Ldap(d => { d.Url = "ldaps://ad.example.local"; d.TlsMode = LdapTlsMode.Ldaps; d.GroupFilter = null; }), []).IsEmpty);
        Assert.True(_smtp.Validate(Smtp(), []).IsEmpty);
        Assert.True(_smtp.Validate(Smtp(s => { s.Username = null; s.Password = null; s.TlsMode = SmtpTlsMode.None; }), []).IsEmpty);
    }

    public static TheoryData<string, string, string, string> BadEntries() => new()
    {
        { "db", "alias taken", "alias", "already used by another database" },
        { "db", "host empty", "host", "Host is required" },
        { "db", "port 0 ok, port -1", "port", "Port -1 is out of range" },
        { "db", "database name with dash", "databaseName", "is not valid" },
        { "db", "no user", "username", "User name is required to connect to PostgreSQL" },
        { "db", "no password", "password", "Password to connect to PostgreSQL is required" },
        { "db", "Informix without server name", "informixServer", "INFORMIXSERVER) is required" },
        { "db", "PostgreSQL with an Informix server name", "informixServer", "applies to Informix only" },
        { "ldap", "http URL", "url", "is not an LDAP URL" },
        { "ldap", "ldaps URL with StartTLS", "tlsMode", "does not match the URL" },
        { "ldap", "bind DN without =", "bindDn", "is not a distinguished name" },
        { "ldap", "no bind password", "bindPassword", "Bind password is required" },
        { "ldap", "empty base DN", "baseDn", "Base DN is required" },
        { "ldap", "filter without parentheses", "userFilter", "is not an LDAP filter" },
        { "ldap", "unbalanced group filter", "groupFilter", "is not an LDAP filter" },
        { "smtp", "no from address", "fromAddress", "From address is required" },
        { "smtp", "bad from address", "fromAddress", "is not an e-mail address" },
        { "smtp", "user without password", "password", "Password for SMTP user 'runner' is required" },
        { "smtp", "password without user", "username", "User name is required when a password is given" },
        { "smtp", "port 99999", "port", "Port 99999 is out of range" },
    };

    [Theory]
    [MemberData(nameof(BadEntries))]
    public void ABadField_IsRejectedNamingTheField(string kind, string because, string field, string message)
    {
        var errors = (kind, because) switch
        {
            ("db", "alias taken") => _databases.Validate(Postgres(), [Postgres(d => d.Id = 7)]),
            ("db", "host empty") => _databases.Validate(Postgres(d => d.Host = ""), []),
            ("db", _) when because.StartsWith("port") => _databases.Validate(Postgres(d => d.Port = -1), []),
            ("db", "database name with dash") => _databases.Validate(Postgres(d => d.DatabaseName = "runner-db"), []),
            ("db", "no user") => _databases.Validate(Postgres(d => d.Username = null), []),
            ("db", "no password") => _databases.Validate(Postgres(d => d.Password = null), []),
            ("db", "Informix without server name") => _databases.Validate(Postgres(d => d.Kind = DatabaseKind.Informix), []),
            ("db", _) => _databases.Validate(Postgres(d => d.InformixServer = "ol_prod"), []),
            ("ldap", "http URL") => _directories.Validate(Ldap(d => d.Url = "http://ldap.example.local"), []),
            ("ldap", "ldaps URL with StartTLS") => _directories.Validate(Ldap(d => d.Url = "ldaps://ldap.example.local"), []),
            ("ldap", "bind DN without =") => _directories.Validate(Ldap(d => d.BindDn = "svc-runner"), []),
            ("ldap", "no bind password") => _directories.Validate(Ldap(d => d.BindPassword = new SecretInput(Clear: true)), []),
            ("ldap", "empty base DN") => _directories.Validate(Ldap(d => d.BaseDn = " "), []),
            ("ldap", "filter without parentheses") => _directories.Validate(Ldap(d => d.UserFilter = "objectClass=person"), []),
            ("ldap", _) => _directories.Validate(Ldap(d => d.GroupFilter = "(&(objectClass=group)"), []),
            ("smtp", "no from address") => _smtp.Validate(Smtp(s => s.FromAddress = null), []),
            ("smtp", "bad from address") => _smtp.Validate(Smtp(s => s.FromAddress = "runner at example.local"), []),
            ("smtp", "user without password") => _smtp.Validate(Smtp(s => s.Password = null), []),
            ("smtp", "password without user") => _smtp.Validate(Smtp(s => s.Username = " "), []),
            _ => _smtp.Validate(Smtp(s => s.Port = 99999), []),
        };

        Assert.True(errors.Has(field), $"{kind} {because}: no error on {field}; got {string.Join(", ", errors.Fields)}");
        Assert.Contains(message, errors.For(field));
        Assert.Equal([field], errors.Fields);
    }

    public void Dispose() => _store.Dispose();
}
