using Microsoft.EntityFrameworkCore;
using Runner.Appliance.Data;
using Runner.Appliance.Features.Architecture;
using Runner.Appliance.Features.Audit;
using Runner.Appliance.Features.Configuration.Collections;
using Runner.Appliance.Validation;

namespace Runner.Appliance.Features.Flows;

/// <summary>The flow matrix of the deployment.</summary>
public sealed class FlowRuleService(IDbContextFactory<ApplianceDb> dbFactory, AuditLog audit, TimeProvider clock, SizingFile sizing)
    : ConfigCollectionService<FlowRule, FlowRuleDto>(dbFactory, audit, clock)
{
    private IReadOnlyCollection<string> _zones = [];

    public override string Noun => "flow";

    public override FlowRuleDto ToDto(FlowRule f) => new()
    {
        Id = f.Id, Source = f.Source, Destination = f.Destination, Protocol = f.Protocol, Ports = f.Ports, Description = f.Description,
        Version = f.Version, UpdatedBy = f.UpdatedBy, UpdatedAt = f.UpdatedAt,
    };

    public override FieldErrors Validate(FlowRuleDto input, IReadOnlyList<FlowRuleDto> others, FlowRule? current = null) =>
        FlowRuleValidator.Validate(input, others, _zones, sizing.Rules);

    protected override async Task PrepareValidationAsync(ApplianceDb db, CancellationToken ct) =>
        _zones = await db.Zones.Select(z => z.Name).ToListAsync(ct);

    protected override string NameOf(FlowRule f) => $"{f.Source} → {f.Destination} {f.Protocol.ToString().ToUpperInvariant()} {f.Ports}".TrimEnd();

    protected override void Apply(FlowRuleDto input, FlowRule f)
    {
        f.Source = input.Source!.Trim();
        f.Destination = input.Destination!.Trim();
        f.Protocol = input.Protocol;
        f.Ports = input.Protocol == FlowProtocol.Icmp ? null : input.Ports!.Replace(" ", "");
        f.Description = string.IsNullOrWhiteSpace(input.Description) ? null : input.Description.Trim();
    }
}
