using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using Runner.Appliance.Data;
using Runner.Appliance.Features.Account;
using Runner.Appliance.Features.Configuration;
using Runner.Appliance.Hosting;
using Runner.Appliance.Security;

namespace Runner.Appliance.Tests.Infrastructure;

/// <summary>
/// bUnit context with MudBlazor, a real migrated store and the feature services pages use.
/// Disposed asynchronously: MudBlazor services only implement IAsyncDisposable.
/// </summary>
public abstract class ComponentTestBase : BunitContext, IAsyncLifetime
{
    protected ComponentTestBase()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton<IDbContextFactory<ApplianceDb>>(Store);
        Services.AddSingleton(TimeProvider.System);
        Services.AddSingleton(Options.Create(new ApplianceOptions()));
        Services.AddSingleton<PreferencesService>();
        Services.AddSingleton<ConfigurationService>();
        Services.AddSingleton<Runner.Appliance.Features.Wizard.WizardService>();
        Services.AddSingleton<ISecretProtector>(new SecretProtector(DataProtectionProvider.Create("tests")));
        Services.AddSingleton<Runner.Appliance.Features.Audit.AuditLog>();
        Services.AddSingleton<Runner.Appliance.Features.Hypervisors.HypervisorService>();
        Services.AddSingleton<Runner.Appliance.Features.Zones.ZoneService>();
        Services.AddSingleton<Runner.Appliance.Features.Services.DatabaseServerService>();
        Services.AddSingleton<Runner.Appliance.Features.Services.LdapDirectoryService>();
        Services.AddSingleton<Runner.Appliance.Features.Services.SmtpServerService>();
        Services.AddSingleton<Runner.Appliance.Features.Services.SmsProviderService>();
        Services.AddSingleton<Runner.Appliance.Features.Services.MonitoringEndpointService>();
        Services.AddSingleton<Runner.Appliance.Features.Flows.FlowRuleService>();
        Services.AddSingleton(new Runner.Appliance.Features.Architecture.SizingFile(Runner.Appliance.Features.Architecture.SizingFile.LoadEmbedded()));
        Services.AddSingleton<Runner.Appliance.Features.Architecture.ArchitectureEvents>();
        Services.AddSingleton<Runner.Appliance.Features.Architecture.ArchitectureService>();
        Services.AddSingleton<Runner.Appliance.Features.Architecture.ArchitectureRecapService>();
        Services.AddSingleton<Runner.Appliance.Features.Architecture.InventoryExporter>();
        Services.AddSingleton<Runner.Appliance.Features.Architecture.ArchitectureTransfer>();
        Services.AddSingleton<Runner.Appliance.Features.SecuritySettings.SecuritySettingsService>();
        Services.AddSingleton<Runner.Appliance.Features.AnswerFile.AnswerFileExporter>();
        Services.AddLogging();
        Services.AddSingleton(Options.Create(new Runner.Appliance.Features.Preflight.PreflightOptions()));
        Services.AddSingleton<Runner.Appliance.Features.Preflight.PreflightNotifier>();
        Services.AddSingleton<Runner.Appliance.Features.Preflight.PreflightRunner>();
        Services.AddSingleton<Runner.Appliance.Features.Preflight.PreflightInputsBuilder>();
        Services.AddSingleton<Runner.Appliance.Features.Preflight.PreflightQueries>();
        Auth = AddAuthorization();
        // Pages render as they do on a live circuit (set last: it builds the service provider).
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
    }

    protected TestStore Store { get; } = new();

    protected BunitAuthorizationContext Auth { get; }

    /// <summary>Signs the test user in with one role and the policies that role satisfies.</summary>
    protected void SignInAs(string name, string role, string userId = "user-1")
    {
        Auth.SetAuthorized(name);
        Auth.SetRoles(role);
        Auth.SetClaims(new Claim("sub", userId));
        Auth.SetPolicies(role switch
        {
            Roles.Admin => [Policies.Admin, Policies.Operate, Policies.View],
            Roles.Operator => [Policies.Operate, Policies.View],
            _ => [Policies.View],
        });
    }

    public Task InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        Store.Dispose();
    }
}
