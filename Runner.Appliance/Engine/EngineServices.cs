namespace Runner.Appliance.Engine;

/// <summary>Registers the deployment engine: catalog, inputs, writer, notifier, role runner, sequence, launcher, start-up recovery.</summary>
public static class EngineServices
{
    public static IServiceCollection AddDeploymentEngine(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<EngineOptions>(configuration.GetSection(EngineOptions.Section));
        services.AddSingleton<CatalogFile>();
        services.AddSingleton<SecretsDirectory>();
        services.AddSingleton<RunNotifier>();
        services.AddSingleton<EventWriter>();
        services.AddHostedService(provider => provider.GetRequiredService<EventWriter>());
        services.AddSingleton<RoleRunner>();
        services.AddSingleton<RunSequence>();
        services.AddSingleton<RunRecovery>();
        services.AddSingleton<DeploymentEngine>();
        services.AddHostedService<EngineRecovery>();
        services.AddScoped<RunInputsBuilder>();
        return services;
    }
}

/// <summary>At start-up, before anything can start a run: runs left running by a dead process become interrupted, their secrets go.</summary>
internal sealed class EngineRecovery(RunRecovery recovery) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await recovery.RecoverAsync(cancellationToken);
        await recovery.PurgeAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
