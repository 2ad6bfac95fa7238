using Runner.Appliance.Features.Operations;

namespace Runner.Appliance.Hosting;

internal static class ObservabilityServices
{
    public static IServiceCollection AddApplianceObservability(this IServiceCollection services)
    {
        services.AddSingleton<ApplianceMetrics>();
        services.AddHealthChecks().AddCheck<StoreHealthCheck>("store");
        return services;
    }
}
