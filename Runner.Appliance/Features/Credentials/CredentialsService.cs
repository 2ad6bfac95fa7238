using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Runner.Appliance.Data;
using Runner.Appliance.Engine;
using Runner.Appliance.Features.Audit;
using Runner.Appliance.Security;
using Runner.Appliance.Validation;

namespace Runner.Appliance.Features.Credentials;

/// <summary>
/// The Credentials page's and API's one service (Admin): generated secrets and outputs by name; a value only
/// after the admin typed their own password again (a failure counts towards their lockout, as at sign-in),
/// each reveal and each hand-over download in the audit trail by name, never by value.
/// </summary>
public sealed class CredentialsService(IDbContextFactory<ApplianceDb> dbFactory, CatalogFile catalog, SecretStore store, RoleOutputs outputs,
    IServiceScopeFactory scopes, AuditLog audit, TimeProvider clock, ILogger<CredentialsService> logger)
{
    public async Task<CredentialsView> ListAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var stored = await db.StoredSecrets.AsNoTracking().Where(s => s.Name.StartsWith("generated/")).ToDictionaryAsync(s => s.Name, s => s.UpdatedAt, ct);
        var generated = catalog.Catalog.Roles.SelectMany(r => r.Secrets.Select(s => (Role: r.Name, Secret: s)))
            .Select(x => new GeneratedSecretView(x.Secret.Name, x.Role, x.Secret.Description,
                stored.ContainsKey(GeneratedSecrets.StoreName(x.Secret.Name)), stored.TryGetValue(GeneratedSecrets.StoreName(x.Secret.Name), out var at) ? at : null))
            .ToList();
        var rows = await db.RoleOutputs.AsNoTracking().OrderBy(o => o.Role).ThenBy(o => o.Key).ToListAsync(ct);
        var views = rows.Select(o => new RoleOutputView(o.Role, o.Key, Describe(o.Role, o.Key), o.Secret, o.Secret ? null : o.Value, o.RunId, o.UpdatedAt)).ToList();
        return new CredentialsView(generated, views);
    }

    public async Task<(Outcome Outcome, RevealedCredential? Value)> RevealAsync(RevealRequest request, string actor, CancellationToken ct)
    {
        if (await CheckPasswordAsync(actor, request.Password) is { } refused)
            return (refused, null);
        string? value;
        string item;
        switch (request.Kind)
        {
            case "generated":
                item = $"generated secret {request.Name}";
                value = catalog.Catalog.Roles.SelectMany(r => r.Secrets).Any(s => s.Name == request.Name) ? await store.GetAsync(GeneratedSecrets.StoreName(request.Name!), ct) : null;
                break;
            case "output":
                item = $"output {request.Role}.{request.Name}";
                await using (var db = await dbFactory.CreateDbContextAsync(ct))
                    value = await db.RoleOutputs.AsNoTracking().SingleOrDefaultAsync(o => o.Role == request.Role && o.Key == request.Name, ct) is { } row ? outputs.Reveal(row) : null;
                break;
            default:
                return (Outcome.Invalid("kind", "Kind is 'generated' (a secret the appliance generated) or 'output' (a role's published output)."), null);
        }
        if (value is null)
            return (Outcome.NotFound($"There is no {item} (a generated secret exists once a run needed it; an output once its role published it)."), null);
        await audit.RecordAsync(actor, "credential", item, "revealed", [], ct);
        logger.LogInformation("{Actor} revealed {Item}", actor, item);
        return (Outcome.Ok, new RevealedCredential(value));
    }

    /// <summary>Everything the operators keep after the deployment (Vault's unseal keys and root token, the generated passwords), in one Markdown file.</summary>
    public async Task<(Outcome Outcome, Handover? File)> HandoverAsync(HandoverRequest request, string actor, CancellationToken ct)
    {
        if (await CheckPasswordAsync(actor, request.Password) is { } refused)
            return (refused, null);
        var now = clock.GetUtcNow();
        var text = new StringBuilder()
            .AppendLine("# Runner Appliance: operator hand-over")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Downloaded {now:yyyy-MM-dd HH:mm} UTC by {actor}. Every value below is a live credential of the site:")
            .AppendLine("keep this file offline, in the site's vault or safe, and delete every other copy.")
            .AppendLine();
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var rows = await db.RoleOutputs.AsNoTracking().OrderBy(o => o.Role).ThenBy(o => o.Key).ToListAsync(ct);
            foreach (var role in rows.GroupBy(o => o.Role))
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"## Published by {role.Key}").AppendLine();
                foreach (var row in role)
                    Entry(text, row.Key, Describe(row.Role, row.Key), outputs.Reveal(row), $"run {row.RunId}, {row.UpdatedAt:yyyy-MM-dd HH:mm} UTC");
            }
        }
        text.AppendLine("## Generated by the appliance").AppendLine();
        foreach (var (role, secret) in catalog.Catalog.Roles.SelectMany(r => r.Secrets.Select(s => (r.Name, s))))
            if (await store.GetAsync(GeneratedSecrets.StoreName(secret.Name), ct) is { } value)
                Entry(text, secret.Name, secret.Description, value, $"for {role}");
        await audit.RecordAsync(actor, "credential", "operator hand-over", "downloaded", [], ct);
        logger.LogInformation("{Actor} downloaded the operator hand-over", actor);
        return (Outcome.Ok, new Handover($"runner-handover-{now:yyyyMMdd-HHmm}.md", text.ToString()));
    }

    private static void Entry(StringBuilder text, string name, string description, string value, string origin) =>
        text.AppendLine(CultureInfo.InvariantCulture, $"### {name}").AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"{(description.Length > 0 ? description + " · " : "")}{origin}").AppendLine()
            .AppendLine("```").AppendLine(value).AppendLine("```").AppendLine();

    private string Describe(string role, string key) => catalog.Catalog.Role(role)?.Outputs.FirstOrDefault(o => o.Name == key)?.Description ?? "";

    /// <summary>Null when <paramref name="password"/> is the actor's own; a failed attempt counts towards their lockout.</summary>
    private async Task<Outcome?> CheckPasswordAsync(string actor, string? password)
    {
        if (string.IsNullOrEmpty(password))
            return Outcome.Invalid("password", "Enter your own password again to see a credential.");
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplianceUser>>();
        var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<ApplianceUser>>();
        var user = await users.FindByNameAsync(actor);
        if (user is null)
            return Outcome.Forbidden("Only a signed-in administrator's account can reveal a credential.");
        var result = await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true);
        if (result.IsLockedOut)
            return Outcome.Forbidden("Your account is locked after too many wrong passwords; wait, or ask another administrator to reset it.");
        if (!result.Succeeded)
        {
            await audit.RecordAsync(actor, "credential", "password check", "refused", [], CancellationToken.None);
            return Outcome.Invalid("password", "That is not your password. Enter the password you signed in with.");
        }
        return null;
    }
}
