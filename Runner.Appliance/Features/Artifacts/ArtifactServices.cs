using Microsoft.EntityFrameworkCore;
using Runner.Appliance.Data;

namespace Runner.Appliance.Features.Artifacts;

/// <summary>Registers the artifact store: its declarations, directories, verifier, statuses, import jobs, run vars and start-up recovery.</summary>
public static class ArtifactServices
{
    public static IServiceCollection AddArtifactStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ArtifactOptions>(configuration.GetSection(ArtifactOptions.Section));
        // The one switch to the catalog's own declarations once it loads them.
        services.AddSingleton<ArtifactStore>();
        services.AddSingleton<ArtifactNeeds>();
        services.AddSingleton<ArtifactVerifier>();
        services.AddSingleton<ArtifactInventory>();
        services.AddSingleton<ArtifactCommit>();
        services.AddSingleton<RepositorySigning>();
        services.AddSingleton<ArtifactImporter>();
        services.AddSingleton<ArtifactNotifier>();
        services.AddSingleton<ArtifactJobs>();
        services.AddScoped<ArtifactsService>();
        services.AddScoped<ArtifactRunVars>();
        services.AddHostedService<ArtifactRecovery>();
        return services;
    }
}

/// <summary>
/// At start-up: a job the appliance died during is interrupted (what it verified stays in staging for
/// the next import), and the copies an import replaced but had not deleted yet go.
/// </summary>
internal sealed class ArtifactRecovery(IDbContextFactory<ApplianceDb> dbFactory, ArtifactStore store, TimeProvider clock) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            await db.ArtifactImports.Where(i => i.Status == ImportStatus.Running).ExecuteUpdateAsync(s => s
                .SetProperty(i => i.Status, ImportStatus.Interrupted)
                .SetProperty(i => i.EndedAt, clock.GetUtcNow())
                .SetProperty(i => i.Message, "The appliance stopped during this job. What it verified is kept: the next import goes on from there."), cancellationToken);
        foreach (var copy in Directory.EnumerateDirectories(store.TrashPath))
            Directory.Delete(copy, recursive: true);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
