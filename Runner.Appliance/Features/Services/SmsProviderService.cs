using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Runner.Appliance.Data;
using Runner.Appliance.Features.Audit;
using Runner.Appliance.Features.Configuration.Collections;
using Runner.Appliance.Security;
using Runner.Appliance.Validation;

namespace Runner.Appliance.Features.Services;

/// <summary>The SMS gateways of the deployment.</summary>
public sealed partial class SmsProviderService(IDbContextFactory<ApplianceDb> dbFactory, AuditLog audit, TimeProvider clock, ISecretProtector protector)
    : ConfigCollectionService<SmsProvider, SmsProviderDto>(dbFactory, audit, clock)
{
    public const string SecretPurpose = "sms/secret";

    public override string Noun => "SMS provider";

    public override SmsProviderDto ToDto(SmsProvider s) => new()
    {
        Id = s.Id, Alias = s.Alias, Url = s.Url, Username = s.Username, SecretSet = s.SecretCiphertext is not null, Sender = s.Sender,
        Version = s.Version, UpdatedBy = s.UpdatedBy, UpdatedAt = s.UpdatedAt,
    };

    public override FieldErrors Validate(SmsProviderDto input, IReadOnlyList<SmsProviderDto> others, SmsProvider? current = null)
    {
        var errors = new FieldErrors();
        ServiceRules.CheckAlias(errors, input.Alias, others.Select(o => o.Alias), "SMS provider");
        ServiceRules.CheckUrl(errors, input.Url, "url", "Gateway URL", "https://sms.example.local/api/send");
        ServiceRules.RequireSecret(errors, input.Secret, current?.SecretCiphertext is not null, "secret", "Password or API key of the SMS gateway");
        var sender = input.Sender?.Trim();
        if (string.IsNullOrEmpty(sender))
            errors.Add("sender", "Sender is required: up to 11 letters or digits (e.g. RUNNER), or a phone number such as +33612345678.");
        else if (!SenderPattern().IsMatch(sender))
            errors.Add("sender", $"Sender '{sender}' is not valid; expected up to 11 letters or digits, or a phone number in international form (+ and 8 to 15 digits).");
        return errors;
    }

    protected override IReadOnlyDictionary<string, string> RevealSecrets(SmsProvider entity) =>
        entity.SecretCiphertext is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["secret"] = protector.Unprotect(SecretPurpose, entity.SecretCiphertext) };

    protected override string NameOf(SmsProvider entity) => entity.Alias;

    protected override void Apply(SmsProviderDto input, SmsProvider s)
    {
        s.Alias = input.Alias!.Trim();
        s.Url = input.Url!.Trim();
        s.Username = string.IsNullOrWhiteSpace(input.Username) ? null : input.Username.Trim();
        s.SecretCiphertext = (input.Secret ?? SecretInput.Keep).ApplyTo(s.SecretCiphertext, protector, SecretPurpose);
        s.Sender = input.Sender!.Trim();
    }

    [GeneratedRegex(@"^([A-Za-z0-9]{1,11}|\+[1-9][0-9]{7,14})$")]
    private static partial Regex SenderPattern();
}
