using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Prometheus;
using Runner.Appliance.Components;
using Runner.Appliance.Engine;
using Runner.Appliance.Features.Account;
using Runner.Appliance.Features.AnswerFile;
using Runner.Appliance.Features.Architecture;
using Runner.Appliance.Features.Artifacts;
using Runner.Appliance.Features.Audit;
using Runner.Appliance.Features.Configuration.Collections;
using Runner.Appliance.Features.Configuration;
using Runner.Appliance.Features.Credentials;
using Runner.Appliance.Features.Flows;
using Runner.Appliance.Features.Hypervisors;
using Runner.Appliance.Features.Operations;
using Runner.Appliance.Features.Preflight;
using Runner.Appliance.Features.Runs;
using Runner.Appliance.Features.SecuritySettings;
using Runner.Appliance.Features.Services;
using Runner.Appliance.Features.Setup;
using Runner.Appliance.Features.Users;
using Runner.Appliance.Features.Zones;
using Runner.Appliance.Hosting.Api;
using Runner.Appliance.Security;
using Scalar.AspNetCore;

namespace Runner.Appliance.Hosting;

/// <summary>The middleware pipeline and every endpoint, in the order a request meets them.</summary>
public static class AppliancePipeline
{
    public static WebApplication UseAppliance(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<ApplianceOptions>>().Value;
        app.UseReverseProxy(options);
        app.UseSecurityHeaders();
        // API callers get RFC 7807 problem details; people get pages.
        app.UseWhen(IsApi, api => api.UseExceptionHandler().UseStatusCodePages());
        app.UseWhen(ctx => !IsApi(ctx), ui => ui
            .UseExceptionHandler("/error", createScopeForErrors: true)
            .UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
        if (options.HttpsEnabled)
        {
            app.UseHsts();
            app.UseHttpsRedirection();
        }
        app.UseArtifactStore();
        app.UseWhen(IsApi, api => api.Use(ApiInput.EmptyBodyIsJsonAsync));
        app.UseRouting();
        app.UseHttpMetrics(http => http.SetMetricFactory(Metrics.WithCustomRegistry(app.Services.GetRequiredService<ApplianceMetrics>().Registry)));
        app.UseFirstRunRedirect();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.UseRateLimiter();
        app.UseWhen(IsApi, api => api.UseMiddleware<ApiInput>());
        return app;
    }

    public static WebApplication MapAppliance(this WebApplication app)
    {
        app.MapStaticAssets().AllowAnonymous();
        app.MapOperations();
        app.MapOpenApi().AllowAnonymous();
        // Scalar ships its scripts inside its assembly; everything that would call its cloud is off.
        app.MapScalarApiReference("/api-reference", scalar =>
            {
                scalar.ShowDeveloperTools = DeveloperToolsVisibility.Never;
                scalar.HideClientButton = true;
                scalar.WithTitle("Runner Appliance API")
                .WithOpenApiRoutePattern("/openapi/{documentName}.json")
                .DisableDefaultFonts()
                .DisableTelemetry()
                .DisableAgent()
                    .DisableMcp();
            })
            .AllowAnonymous();

        var api = app.MapGroup("/api/v1")
            .RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = JwtBearerDefaults.AuthenticationScheme })
            .WithTags("Runner Appliance");
        api.MapSetupApi();
        api.MapTokenApi();
        api.MapUsersApi();
        api.MapConfigurationApi();
        api.MapConfigCollection<HypervisorService, Hypervisor, HypervisorDto>(ItemKinds.Hypervisors.ApiPath, ItemKinds.Hypervisors.Plural);
        api.MapConfigCollection<ZoneService, Zone, ZoneDto>(ItemKinds.Zones.ApiPath, ItemKinds.Zones.Plural);
        api.MapConfigCollection<DatabaseServerService, DatabaseServer, DatabaseServerDto>(ItemKinds.Databases.ApiPath, ItemKinds.Databases.Plural);
        api.MapConfigCollection<LdapDirectoryService, LdapDirectory, LdapDirectoryDto>(ItemKinds.Ldap.ApiPath, ItemKinds.Ldap.Plural);
        api.MapConfigCollection<SmtpServerService, SmtpServer, SmtpServerDto>(ItemKinds.Smtp.ApiPath, ItemKinds.Smtp.Plural);
        api.MapConfigCollection<SmsProviderService, SmsProvider, SmsProviderDto>(ItemKinds.Sms.ApiPath, ItemKinds.Sms.Plural);
        api.MapConfigCollection<MonitoringEndpointService, MonitoringEndpoint, MonitoringEndpointDto>(ItemKinds.Monitoring.ApiPath, ItemKinds.Monitoring.Plural);
        api.MapConfigCollection<FlowRuleService, FlowRule, FlowRuleDto>(ItemKinds.Flows.ApiPath, ItemKinds.Flows.Plural);
        api.MapSecurityApi();
        api.MapAnswerFileApi();
        api.MapAuditApi();
        api.MapArchitectureApi();
        api.MapRunsApi();
        api.MapPreflightApi();
        api.MapArtifactsApi();
        api.MapCredentialsApi();
        // Every path under the API, also one that looks like a file ("/zones/1.5"), gets the API's answer, never the sign-in page.
        api.MapFallback("{**path}", ApiFallback.Answer).ExcludeFromDescription();

        app.MapAccountEndpoints();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }

    private static bool IsApi(HttpContext context) => context.Request.Path.StartsWithSegments("/api");
}
