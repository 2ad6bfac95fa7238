using Microsoft.EntityFrameworkCore;
using Runner.Appliance.Data;
using Runner.Appliance.Engine;
using Runner.Appliance.Features.Audit;
using Runner.Appliance.Hosting;
using Runner.Appliance.Security;

namespace Runner.Appliance.Features.SecuritySettings;

/// <summary>
/// Start-up fix-up for an appliance upgraded from a version that took the proxy login inside the
/// proxy URL (http://user:password@host:port) and so stored, showed, exported and handed it to
/// roles in clear: the login moves to the proxy user and (encrypted) password fields, the URLs keep
/// scheme, host and port only, and the records of earlier runs lose the password. Audited; a
/// second start finds nothing to do.
/// </summary>
public sealed class LegacyProxyLogin(IDbContextFactory<ApplianceDb> dbFactory, ISecretProtector protector, AuditLog audit, DataDirectory data,
    TimeProvider clock, ILogger<LegacyProxyLogin> logger)
{
    public const string Actor = "appliance upgrade";

    public async Task MoveAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.SecuritySettings.SingleOrDefaultAsync(ct);
        if (row is null || !(ProxyUrl.CarriesLogin(row.HttpProxy) || ProxyUrl.CarriesLogin(row.HttpsProxy)))
            return;

        var logins = new[] { ProxyUrl.LoginOf(row.HttpProxy), ProxyUrl.LoginOf(row.HttpsProxy) };
        // One login serves both proxies: the HTTP proxy's (the required one) wins.
        var kept = row.ProxyUsername is null ? logins.FirstOrDefault(l => l is not null) : null;
        var dropped = logins.OfType<UrlLogin>().Where(l => l != kept).Distinct().ToList();
        var scrubs = Scrubs(row, logins);

        // Workspaces first: if the appliance stops half-way, the store still holds the URLs and the next start redoes both.
        var files = RunRecordScrub.ReplaceInWorkspaces(data.RunsPath, scrubs);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var rows = await RunRecordScrub.ReplaceInStoreAsync(db, scrubs, ct);
        var fields = new List<string>();
        if (ProxyUrl.CarriesLogin(row.HttpProxy))
            fields.Add("httpProxy");
        if (ProxyUrl.CarriesLogin(row.HttpsProxy))
            fields.Add("httpsProxy");
        (row.HttpProxy, row.HttpsProxy) = (ProxyUrl.WithoutLogin(row.HttpProxy), ProxyUrl.WithoutLogin(row.HttpsProxy));
        if (kept is not null)
        {
            row.ProxyUsername = kept.Username;
            fields.Add("proxyUsername");
            if (kept.Password is not null)
            {
                row.ProxyPasswordCiphertext = protector.Protect(SecuritySettingsService.ProxyPasswordPurpose, kept.Password);
                fields.Add("proxyPassword");
            }
        }
        row.Version++;
        (row.UpdatedBy, row.UpdatedAt) = (Actor, clock.GetUtcNow());
        audit.Append(db, Actor, "security settings", "security", kept is null
            ? "proxy login removed from the proxy URLs (the proxy user and password fields were set already)"
            : "proxy login moved out of the proxy URLs into the proxy user and password fields", fields);
        if (kept is not null && dropped.Count > 0)
            audit.Append(db, Actor, "security settings", "security",
                "the HTTPS proxy's login differed from the HTTP proxy's and was removed (one login serves both proxies): check the proxy user and password", ["httpsProxy"]);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        // SQLite leaves replaced text in free pages and the WAL: rebuild the file so that the password is gone from the disk too.
        await db.Database.ExecuteSqlRawAsync("VACUUM", ct);
        await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE)", ct);
        logger.LogWarning("The proxy login stored inside the proxy URLs was taken out of them ({Kept} kept in the proxy user and password fields, {Dropped} removed); "
            + "{Rows} run records and {Files} workspace vars files no longer hold its password", kept is null ? 0 : 1, dropped.Count, rows, files);
    }

    /// <summary>Each legacy URL becomes its stripped form, then any password left (a role may have printed it) is masked.</summary>
    private static List<Scrub> Scrubs(SecuritySettings row, IEnumerable<UrlLogin?> logins)
    {
        var scrubs = new List<Scrub>();
        foreach (var url in new[] { row.HttpProxy, row.HttpsProxy }.Where(ProxyUrl.CarriesLogin))
            scrubs.Add(new Scrub(url!.Trim(), ProxyUrl.WithoutLogin(url.Trim())!));
        foreach (var password in logins.Select(l => l?.Password).OfType<string>())
            scrubs.Add(new Scrub(password, SecretMasker.Mask));
        return scrubs;
    }
}
