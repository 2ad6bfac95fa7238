namespace Runner.Appliance.Engine;

/// <summary>Registers the deployment engine: catalog, inputs, writer, notifier, engine, start-up recovery.</summary>
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
        services.AddSingleton<DeploymentEngine>();
        services.AddHostedService<EngineRecovery>();
        services.AddScoped<RunInputsBuilder>();
        services.AddScoped<RunQueries>();
        return services;
    }
}

/// <summary>At start-up, before anything can start a run: runs left running by a dead process become interrupted, their secrets go.</summary>
internal sealed class EngineRecovery(DeploymentEngine engine) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await engine.RecoverAsync(cancellationToken);
        await engine.PurgeAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
