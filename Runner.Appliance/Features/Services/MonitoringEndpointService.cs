using Microsoft.EntityFrameworkCore;
using Runner.Appliance.Data;
using Runner.Appliance.Features.Audit;
using Runner.Appliance.Features.Configuration.Collections;
using Runner.Appliance.Security;
using Runner.Appliance.Validation;

namespace Runner.Appliance.Features.Services;

/// <summary>
/// The monitoring endpoints of the deployment. A password with a user name is a Basic login; a
/// password without one is a token, sent as "Authorization: Bearer" (never dropped).
/// </summary>
public sealed class MonitoringEndpointService(IDbContextFactory<ApplianceDb> dbFactory, AuditLog audit, TimeProvider clock, ISecretProtector protector)
    : ConfigCollectionService<MonitoringEndpoint, MonitoringEndpointDto>(dbFactory, audit, clock)
{
    public const string PasswordPurpose = "monitoring/password";

    public override string Noun => "monitoring endpoint";

    public override MonitoringEndpointDto ToDto(MonitoringEndpoint m) => new()
    {
        Id = m.Id, Tool = m.Tool, Alias = m.Alias, Endpoint = m.Endpoint, Username = m.Username, PasswordSet = m.PasswordCiphertext is not null,
        Version = m.Version, UpdatedBy = m.UpdatedBy, UpdatedAt = m.UpdatedAt,
    };

    public override FieldErrors Validate(MonitoringEndpointDto input, IReadOnlyList<MonitoringEndpointDto> others, MonitoringEndpoint? current = null)
    {
        var errors = new FieldErrors();
        ServiceRules.CheckAlias(errors, input.Alias, others.Select(o => o.Alias), "monitoring endpoint");
        ServiceRules.CheckUrl(errors, input.Endpoint, "endpoint", "Endpoint URL", "https://coroot.example.local");
        if (!string.IsNullOrWhiteSpace(input.Username))
            ServiceRules.RequireSecret(errors, input.Password, current?.PasswordCiphertext is not null, "password", $"Password for monitoring user '{input.Username.Trim()}'");
        return errors;
    }

    protected override IReadOnlyDictionary<string, string> RevealSecrets(MonitoringEndpoint entity) =>
        entity.PasswordCiphertext is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["password"] = protector.Unprotect(PasswordPurpose, entity.PasswordCiphertext) };

    protected override string NameOf(MonitoringEndpoint entity) => entity.Alias;

    protected override void Apply(MonitoringEndpointDto input, MonitoringEndpoint m)
    {
        m.Tool = input.Tool;
        m.Alias = input.Alias!.Trim();
        m.Endpoint = input.Endpoint!.Trim();
        m.Username = string.IsNullOrWhiteSpace(input.Username) ? null : input.Username.Trim();
        // Kept without a user name too: it is then the endpoint's token.
        m.PasswordCiphertext = (input.Password ?? SecretInput.Keep).ApplyTo(m.PasswordCiphertext, protector, PasswordPurpose);
    }
}
