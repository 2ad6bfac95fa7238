using Microsoft.EntityFrameworkCore;
using Runner.Appliance.Data;

namespace Runner.Appliance.Security;

/// <summary>Named appliance secrets, encrypted through <see cref="ISecretProtector"/>.</summary>
public sealed class SecretStore(IDbContextFactory<ApplianceDb> dbFactory, ISecretProtector protector)
{
    public async Task SetAsync(string name, string plaintext, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.StoredSecrets.FindAsync([name], ct);
        var ciphertext = protector.Protect(Purpose(name), plaintext);
        if (row is null)
            db.StoredSecrets.Add(new StoredSecret { Name = name, Ciphertext = ciphertext });
        else
        {
            row.Ciphertext = ciphertext;
            row.UpdatedAt = DateTimeOffset.UtcNow;
        }
        await db.SaveChangesAsync(ct);
    }

    public async Task<string?> GetAsync(string name, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.StoredSecrets.AsNoTracking().SingleOrDefaultAsync(s => s.Name == name, ct);
        return row is null ? null : protector.Unprotect(Purpose(name), row.Ciphertext);
    }

    /// <summary>Returns the secret, creating it with <paramref name="create"/> on first use.</summary>
    public async Task<string> GetOrCreateAsync(string name, Func<string> create, CancellationToken ct = default)
    {
        var existing = await GetAsync(name, ct);
        if (existing is not null)
            return existing;
        var value = create();
        try
        {
            await SetAsync(name, value, ct);
            return value;
        }
        catch (DbUpdateException)
        {
            // Another caller created it first: theirs wins.
            return await GetAsync(name, ct) ?? throw new InvalidOperationException($"Secret '{name}' vanished while being created.");
        }
    }

    private static string Purpose(string name) => $"stored-secret/{name}";
}
