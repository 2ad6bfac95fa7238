using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Runner.Appliance.Data;
using Runner.Appliance.Features.Audit;
using Runner.Appliance.Features.Configuration.Collections;
using Runner.Appliance.Security;
using Runner.Appliance.Validation;

namespace Runner.Appliance.Features.Services;

/// <summary>The database servers of the deployment.</summary>
public sealed partial class DatabaseServerService(IDbContextFactory<ApplianceDb> dbFactory, AuditLog audit, TimeProvider clock, ISecretProtector protector)
    : ConfigCollectionService<DatabaseServer, DatabaseServerDto>(dbFactory, audit, clock)
{
    public const string PasswordPurpose = "database/password";

    public override string Noun => "database";

    public override DatabaseServerDto ToDto(DatabaseServer d) => new()
    {
        Id = d.Id, Kind = d.Kind, Alias = d.Alias, Host = d.Host, Port = d.Port, DatabaseName = d.DatabaseName, Username = d.Username,
        PasswordSet = d.PasswordCiphertext is not null, InformixServer = d.InformixServer,
        Version = d.Version, UpdatedBy = d.UpdatedBy, UpdatedAt = d.UpdatedAt,
    };

    public override FieldErrors Validate(DatabaseServerDto input, IReadOnlyList<DatabaseServerDto> others, DatabaseServer? current = null)
    {
        var errors = new FieldErrors();
        var kind = input.Kind == DatabaseKind.Informix ? "Informix" : "PostgreSQL";
        ServiceRules.CheckAlias(errors, input.Alias, others.Select(o => o.Alias), "database");
        ServiceRules.CheckHost(errors, input.Host, $"{kind} server");
        ServiceRules.CheckPort(errors, input.Port, DatabaseServerDto.DefaultPort(input.Kind));
        var name = input.DatabaseName?.Trim();
        if (string.IsNullOrEmpty(name))
            errors.Add("databaseName", $"Database name is required: the {kind} database the platform uses.");
        else if (!DatabaseNamePattern().IsMatch(name))
            errors.Add("databaseName", $"Database name '{name}' is not valid; expected 1 to 63 letters, digits or '_', starting with a letter or '_'.");
        if (string.IsNullOrWhiteSpace(input.Username))
            errors.Add("username", $"User name is required to connect to {kind}.");
        ServiceRules.RequireSecret(errors, input.Password, current?.PasswordCiphertext is not null, "password", $"Password to connect to {kind}");
        if (input.Kind == DatabaseKind.Informix && string.IsNullOrWhiteSpace(input.InformixServer))
            errors.Add("informixServer", "Informix server name (INFORMIXSERVER) is required for an Informix database.");
        else if (input.Kind == DatabaseKind.PostgreSql && !string.IsNullOrWhiteSpace(input.InformixServer))
            errors.Add("informixServer", "Informix server name applies to Informix only; leave it empty for PostgreSQL.");
        return errors;
    }

    protected override IReadOnlyDictionary<string, string> RevealSecrets(DatabaseServer entity) =>
        entity.PasswordCiphertext is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["password"] = protector.Unprotect(PasswordPurpose, entity.PasswordCiphertext) };

    protected override string NameOf(DatabaseServer entity) => entity.Alias;

    protected override void Apply(DatabaseServerDto input, DatabaseServer d)
    {
        d.Kind = input.Kind;
        d.Alias = input.Alias!.Trim();
        d.Host = input.Host!.Trim();
        d.Port = input.Port ?? DatabaseServerDto.DefaultPort(input.Kind);
        d.DatabaseName = input.DatabaseName!.Trim();
        d.Username = input.Username!.Trim();
        d.PasswordCiphertext = (input.Password ?? SecretInput.Keep).ApplyTo(d.PasswordCiphertext, protector, PasswordPurpose);
        d.InformixServer = input.Kind == DatabaseKind.Informix ? input.InformixServer!.Trim() : null;
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,62}$")]
    private static partial Regex DatabaseNamePattern();
}
