namespace Runner.Appliance.Features.Credentials;

/// <summary>Generated secrets, role outputs and the Credentials page's service.</summary>
public static class CredentialServices
{
    public static IServiceCollection AddCredentials(this IServiceCollection services)
    {
        services.AddSingleton<GeneratedSecrets>();
        services.AddSingleton<RoleOutputs>();
        services.AddSingleton<CredentialsService>();
        return services;
    }
}
