using Runner.Appliance.Features.Architecture;
using Runner.Appliance.Features.Configuration;
using Runner.Appliance.Features.Configuration.Collections;
using Runner.Appliance.Features.Flows;
using Runner.Appliance.Features.Hypervisors;
using Runner.Appliance.Features.SecuritySettings;
using Runner.Appliance.Features.Services;
using Runner.Appliance.Features.Zones;

namespace Runner.Appliance.Features.Wizard;

/// <summary>One open problem of the configuration, with the link that opens the offending field.</summary>
public sealed record ReviewProblem(string Step, string Item, string Field, string Message, string Link);

/// <summary>One area of the configuration as the Review step summarises it.</summary>
public sealed record ReviewArea(string Title, string Step, IReadOnlyList<string> Items);

public sealed record ReviewReport(IReadOnlyList<ReviewArea> Areas, IReadOnlyList<ReviewProblem> Problems)
{
    public bool IsClean => Problems.Count == 0;
}

/// <summary>
/// Re-checks the whole configuration with the same validators the forms use, and adds what is
/// missing as a whole (no hypervisor, a default zone absent).
/// </summary>
public sealed class ReviewService(ConfigurationService general, HypervisorService hypervisors, ZoneService zones,
    DatabaseServerService databases, LdapDirectoryService directories, SmtpServerService smtp,
    SmsProviderService sms, MonitoringEndpointService monitoring, FlowRuleService flows, SecuritySettingsService security,
    ArchitectureService architecture)
{
    public async Task<ReviewReport> ReviewAsync(CancellationToken ct = default)
    {
        var areas = new List<ReviewArea>();
        var problems = new List<ReviewProblem>();

        var settings = await general.GetGeneralAsync(ct);
        areas.Add(new("Products and sizing", "wizard/products", settings.Version == 0 ? [] :
            [$"{string.Join(", ", settings.Products ?? [])} for {settings.ConcurrentUsers:N0} users", $"prefix {settings.EnvironmentPrefix}, domain {settings.BaseDomain}"]));
        if (settings.Version == 0)
            problems.Add(new("Products", "General settings", "products", "Products and sizing are not saved yet.", "wizard/products"));
        else
        {
            var errors = GeneralSettingsValidator.Validate(settings);
            foreach (var field in errors.Fields)
                problems.Add(new("Products", "General settings", field, errors.For(field)!, "wizard/products"));
        }

        await AddAsync(areas, problems, "Hypervisors", ItemKinds.Hypervisors, hypervisors, ct);
        var zoneReviews = await AddAsync(areas, problems, "Network zones", ItemKinds.Zones, zones, ct);
        await AddAsync(areas, problems, "Databases", ItemKinds.Databases, databases, ct);
        await AddAsync(areas, problems, "LDAP / Active Directory", ItemKinds.Ldap, directories, ct);
        await AddAsync(areas, problems, "SMTP", ItemKinds.Smtp, smtp, ct);
        await AddAsync(areas, problems, "SMS", ItemKinds.Sms, sms, ct);
        await AddAsync(areas, problems, "Monitoring", ItemKinds.Monitoring, monitoring, ct);
        await AddAsync(areas, problems, "Flows", ItemKinds.Flows, flows, ct);

        var securityProblems = await security.ReviewAsync(ct);
        var securitySettings = await security.GetAsync(ct);
        areas.Add(new("Security", "wizard/security", securityProblems is null ? [] :
            [$"deployment user {securitySettings.DeploymentUser}", securitySettings.TlsMode == SecuritySettings.TlsMode.Upload ? "site certificate" : "internal CA", securitySettings.ProxyEnabled ? $"proxy {securitySettings.HttpProxy}" : "no proxy"]));
        if (securityProblems is null)
            problems.Add(new("Security", "Security settings", "deploymentUser", "The security step is not saved yet: the deployment user and its SSH key are required.", "wizard/security"));
        else
            foreach (var field in securityProblems.Fields)
                problems.Add(new("Security", "Security settings", field, securityProblems.For(field)!, "wizard/security"));

        var vms = await architecture.ListAsync(ct: ct);
        var generation = await architecture.GenerationAsync(ct);
        areas.Add(new("VM architecture", "wizard/architecture", generation is null ? [] :
            [$"{vms.Count} VMs, tier {generation.Tier}", $"{vms.Sum(v => v.Vcpu):N0} vCPU, {vms.Sum(v => v.RamGb):N0} GB RAM, {vms.Sum(v => v.DiskTotalGb):N0} GB disk"]));
        foreach (var problem in await architecture.ReviewAsync(ct))
            problems.Add(new("Architecture", problem.Item, problem.Field, problem.Message,
                problem.VmId is { } id ? $"wizard/architecture?edit={id}" : problem.Field.StartsWith("zones.", StringComparison.Ordinal) ? "wizard/zones" : "wizard/architecture"));

        if (areas.Single(a => a.Step == "wizard/hypervisors").Items.Count == 0)
            problems.Add(new("Hypervisors", "Hypervisors", "", "No hypervisor yet: add the vCenter, ESXi host or Prism Central the VMs go to.", "wizard/hypervisors"));
        foreach (var missing in ZoneValidator.DefaultZones.Except(zoneReviews.Select(z => z.Name)))
            problems.Add(new("Network zones", missing, "name", $"Zone {missing} is missing: every deployment places VMs in {string.Join(", ", ZoneValidator.DefaultZones)}.", "wizard/zones"));
        return new ReviewReport(areas, problems);
    }

    private static async Task<IReadOnlyList<ItemReview<TDto>>> AddAsync<TEntity, TDto>(List<ReviewArea> areas, List<ReviewProblem> problems,
        string title, ItemKind kind, ConfigCollectionService<TEntity, TDto> service, CancellationToken ct)
        where TEntity : class, IConfigEntity, new()
        where TDto : class, IConfigDto
    {
        var reviews = await service.ReviewAsync(ct);
        areas.Add(new(title, kind.WizardStep, [.. reviews.Select(r => r.Name)]));
        foreach (var review in reviews)
            foreach (var field in review.Problems.Fields)
                problems.Add(new(title, review.Name, field, review.Problems.For(field)!, $"{kind.WizardStep}?edit={kind.Owner(review.Item.Id)}"));
        return reviews;
    }
}
