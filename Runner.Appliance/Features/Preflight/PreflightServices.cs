namespace Runner.Appliance.Features.Preflight;

/// <summary>Registers the preflight: its inputs, its sources of checks (one line each), the runner, the gate.</summary>
public static class PreflightServices
{
    public static IServiceCollection AddPreflight(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<PreflightOptions>(configuration.GetSection(PreflightOptions.Section));
        services.AddScoped<PreflightInputsBuilder>();
        services.AddSingleton<PreflightNotifier>();
        services.AddSingleton<PreflightRunner>();
        services.AddScoped<PreflightQueries>();

        // Sources of checks, in the order the page lists them: one per kind of external system.
        services.AddScoped<IPreflightSource, Checks.ReviewChecks>();
        services.AddScoped<IPreflightSource, Vsphere.VsphereChecks>();
        services.AddScoped<IPreflightSource, Prism.PrismChecks>();
        services.AddScoped<IPreflightSource, Network.NetworkChecks>();
        services.AddScoped<IPreflightSource, Network.FlowChecks>();
        services.AddScoped<IPreflightSource, Databases.DatabaseChecks>();
        services.AddScoped<IPreflightSource, Ldap.LdapChecks>();
        services.AddScoped<IPreflightSource, Mail.SmtpChecks>();
        services.AddScoped<IPreflightSource, Http.EndpointChecks>();
        services.AddScoped<IPreflightSource, Checks.CertificateChecks>();
        services.AddScoped<IPreflightSource, Checks.SshChecks>();

        return services;
    }
}

/// <summary>Bounds of the preflight (section Appliance:Preflight).</summary>
public sealed class PreflightOptions
{
    public const string Section = "Appliance:Preflight";

    /// <summary>How many check groups talk to the network at once.</summary>
    public int MaxParallel { get; set; } = 8;

    /// <summary>Bound of one check group talking to one system (connect, authenticate, read).</summary>
    public TimeSpan CheckTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The zone the appliance itself sits in: flows from this zone are probed from the appliance.</summary>
    public string ApplianceZone { get; set; } = "LAN_INFRA";
}
