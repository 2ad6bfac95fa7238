using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Runner.Appliance.Data;

namespace Runner.Appliance.Features.Artifacts;

/// <summary>
/// <c>runner_artifacts</c>, the vars every role gets: for each artifact of the lock that is present, its
/// <c>url</c> as the VMs reach it (with <c>Appliance:Artifacts:PublicUrl</c> set), its <c>path</c> on the
/// appliance, <c>sha256</c>, <c>version</c> and <c>kind</c>. A file-like artifact's url and path are its file's;
/// an image's (OCI layout) and a repository's are its folder's, ending in '/', and a repository's sha256 is its index's;
/// a repository also gets `key_url`/`key_path`, the key its index is signed with. No role builds a URL by hand.
/// </summary>
public sealed class ArtifactRunVars(ArtifactInventory inventory, ArtifactNeeds needs, ArtifactStore store, RepositorySigning signing, IDbContextFactory<ApplianceDb> dbFactory, IOptions<ArtifactOptions> options)
{
    public async Task<JsonObject> BuildAsync(CancellationToken ct = default)
    {
        // Being present does not depend on the plan: no products needed.
        var overview = await inventory.OverviewAsync([], ct);
        var present = overview.Artifacts.Where(a => a.Status == ArtifactStatus.Present).Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        var vars = new JsonObject();
        if (present.Count == 0)
            return vars;
        var pins = needs.Lock();
        List<ArtifactFile> rows;
        Dictionary<string, StoredArtifact> stored;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            rows = await db.ArtifactFiles.AsNoTracking().Where(f => f.Area == StoreArea.Store && present.Contains(f.Artifact)).ToListAsync(ct);
            stored = await db.StoredArtifacts.AsNoTracking().Where(a => present.Contains(a.Name)).ToDictionaryAsync(a => a.Name, ct);
        }
        var files = rows.ToLookup(f => f.Artifact);
        var baseUrl = options.Value.PublicUrl?.Trim().TrimEnd('/');
        foreach (var artifact in pins.Artifacts.Where(a => present.Contains(a.Name)))
        {
            var relative = artifact.Kind is ArtifactKind.Image or ArtifactKind.PackageRepo || files[artifact.Name].Count() != 1
                ? artifact.Folder + "/" : files[artifact.Name].Single().Path;
            var entry = new JsonObject
            {
                // As the lock file spells it: file, image, chart, package-repo, collection, wheel.
                ["kind"] = JsonNamingPolicy.KebabCaseLower.ConvertName(artifact.Kind.ToString()),
                ["version"] = artifact.Version,
                // A repository's: that of its index (Packages, repodata/repomd.xml), as its manifest gave it.
                ["sha256"] = (artifact.Kind == ArtifactKind.PackageRepo ? stored[artifact.Name].Sha256 : artifact.Sha256).ToLowerInvariant(),
                ["path"] = Path.Combine(store.StorePath, relative.TrimEnd('/')) + (relative.EndsWith('/') ? "/" : ""),
            };
            if (!string.IsNullOrEmpty(baseUrl))
                entry["url"] = $"{baseUrl}/{string.Join('/', relative.Split('/').Select(Uri.EscapeDataString))}";
            // The key its index is signed with (InRelease, repomd.xml.asc): for signed-by= / gpgkey=.
            if (artifact.Kind == ArtifactKind.PackageRepo && File.Exists(signing.PublicKeyPath))
            {
                entry["key_path"] = signing.PublicKeyPath;
                if (!string.IsNullOrEmpty(baseUrl))
                    entry["key_url"] = $"{baseUrl}/{RepositorySigning.KeyFile}";
            }
            vars[artifact.Name] = entry;
        }
        return vars;
    }
}
