using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using MudBlazor.Services;
using Runner.Appliance.Data;
using Runner.Appliance.Engine;
using Runner.Appliance.Features.Account;
using Runner.Appliance.Features.AnswerFile;
using Runner.Appliance.Features.Architecture;
using Runner.Appliance.Features.Artifacts;
using Runner.Appliance.Features.Audit;
using Runner.Appliance.Features.Configuration;
using Runner.Appliance.Features.Credentials;
using Runner.Appliance.Features.Flows;
using Runner.Appliance.Features.Hypervisors;
using Runner.Appliance.Features.Preflight;
using Runner.Appliance.Features.Runs;
using Runner.Appliance.Features.SecuritySettings;
using Runner.Appliance.Features.Services;
using Runner.Appliance.Features.Setup;
using Runner.Appliance.Features.Users;
using Runner.Appliance.Features.Wizard;
using Runner.Appliance.Features.Zones;

namespace Runner.Appliance.Hosting;

/// <summary>All service registration, so that Program.cs stays a table of contents.</summary>
public static class ApplianceServices
{
    public static WebApplicationBuilder AddAppliance(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(ApplianceOptions.Section).Get<ApplianceOptions>() ?? new ApplianceOptions();
        // A relative data directory is relative to the content root (the project folder under dotnet run).
        var dataDirectory = new DataDirectory(Path.Combine(builder.Environment.ContentRootPath, options.DataDirectory));
        builder.Services.Configure<ApplianceOptions>(builder.Configuration.GetSection(ApplianceOptions.Section));
        builder.Services.AddSingleton(dataDirectory);
        builder.Services.AddSingleton(TimeProvider.System);

        // Static web assets (MudBlazor, scoped CSS) also when started outside Development.
        builder.WebHost.UseStaticWebAssets();
        builder.ConfigureHttps(options);
        builder.AddApplianceLogging(dataDirectory);

        builder.Services.AddDbContextFactory<ApplianceDb>(db => db
            .UseSqlite(dataDirectory.ConnectionString)
            .AddInterceptors(new SqlitePragmas()));
        builder.Services.AddDataProtection()
            .PersistKeysToFileSystem(new DirectoryInfo(dataDirectory.KeysPath))
            .SetApplicationName("Runner.Appliance");

        builder.Services.AddApplianceSecurity(options);
        builder.Services.AddApplianceObservability();
        builder.Services.AddApplianceApi();

        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddMudServices(mud => mud.SnackbarConfiguration.PositionClass = MudBlazor.Defaults.Classes.Position.BottomRight);

        builder.Services.AddSingleton<SetupState>();
        builder.Services.AddScoped<SetupService>();
        builder.Services.AddScoped<SignInService>();
        builder.Services.AddSingleton<PreferencesService>();
        builder.Services.AddScoped<UserService>();
        builder.Services.AddScoped<ConfigurationService>();
        builder.Services.AddSingleton<AuditLog>();
        builder.Services.AddSingleton<WizardService>();
        builder.Services.AddScoped<ZoneService>();
        builder.Services.AddScoped<HypervisorService>();
        builder.Services.AddScoped<DatabaseServerService>();
        builder.Services.AddScoped<LdapDirectoryService>();
        builder.Services.AddScoped<SmtpServerService>();
        builder.Services.AddScoped<SmsProviderService>();
        builder.Services.AddScoped<MonitoringEndpointService>();
        builder.Services.AddScoped<FlowRuleService>();
        builder.Services.AddScoped<ReviewService>();
        builder.Services.AddScoped<SecuritySettingsService>();
        builder.Services.AddSingleton<LegacyProxyLogin>();
        builder.Services.AddScoped<AnswerFileExporter>();
        builder.Services.AddScoped<AnswerFileImporter>();
        builder.Services.AddScoped<ConfigurationCopies>();
        builder.Services.AddScoped<DemoSite>();
        builder.Services.AddSingleton<SizingFile>();
        builder.Services.AddSingleton<ArchitectureEvents>();
        builder.Services.AddScoped<ArchitectureService>();
        builder.Services.AddScoped<ArchitectureRecapService>();
        builder.Services.AddScoped<HypervisorCapacityService>();
        builder.Services.AddScoped<InventoryExporter>();
        builder.Services.AddScoped<ArchitectureTransfer>();
        builder.Services.AddDeploymentEngine(builder.Configuration);
        builder.Services.AddScoped<RunQueries>();
        builder.Services.AddScoped<RunsService>();
        builder.Services.AddPreflight(builder.Configuration);
        builder.Services.AddArtifactStore(builder.Configuration);
        builder.Services.AddCredentials();
        return builder;
    }
}
