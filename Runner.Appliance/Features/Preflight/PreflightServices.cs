namespace Runner.Appliance.Features.Preflight;

/// <summary>Registers the preflight: its inputs, its sources of checks (one line each), the runner, the gate, the service pages and the API call.</summary>
public static class PreflightServices
{
    public static IServiceCollection AddPreflight(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<PreflightOptions>(configuration.GetSection(PreflightOptions.Section));
        services.AddScoped<PreflightInputsBuilder>();
        services.AddSingleton<PreflightNotifier>();
        services.AddSingleton<PreflightRunner>();
        services.AddScoped<PreflightQueries>();
        services.AddScoped<PreflightService>();

        // Sources of checks, in the order the page lists them: one per kind of external system.
        services.AddScoped<IPreflightSource, Review.ReviewChecks>();
        services.AddScoped<IPreflightSource, Vsphere.VsphereChecks>();
        services.AddScoped<IPreflightSource, Prism.PrismChecks>();
        services.AddScoped<IPreflightSource, Network.NetworkChecks>();
        services.AddScoped<IPreflightSource, Network.FlowChecks>();
        services.AddScoped<IPreflightSource, Databases.DatabaseChecks>();
        services.AddScoped<IPreflightSource, Ldap.LdapChecks>();
        services.AddScoped<IPreflightSource, Mail.SmtpChecks>();
        services.AddScoped<IPreflightSource, Http.EndpointChecks>();
        services.AddScoped<IPreflightSource, Certificates.CertificateChecks>();
        services.AddScoped<IPreflightSource, Ssh.SshChecks>();
        services.AddScoped<IPreflightSource, Artifacts.ArtifactChecks>();

        return services;
    }
}
