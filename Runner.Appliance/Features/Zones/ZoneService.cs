using Microsoft.EntityFrameworkCore;
using Runner.Appliance.Data;
using Runner.Appliance.Features.Audit;
using Runner.Appliance.Features.Configuration.Collections;
using Runner.Appliance.Validation;

namespace Runner.Appliance.Features.Zones;

/// <summary>The network zones of the deployment.</summary>
public sealed class ZoneService(IDbContextFactory<ApplianceDb> dbFactory, AuditLog audit, TimeProvider clock)
    : ConfigCollectionService<Zone, ZoneDto>(dbFactory, audit, clock)
{
    public override string Noun => "zone";

    public override ZoneDto ToDto(Zone entity) => ZoneDto.From(entity);

    private IReadOnlyCollection<string> _hypervisors = [];

    public override FieldErrors Validate(ZoneDto input, IReadOnlyList<ZoneDto> others, Zone? current = null) => ZoneValidator.Validate(input, others, _hypervisors);

    protected override async Task PrepareValidationAsync(ApplianceDb db, CancellationToken ct) =>
        _hypervisors = await db.Hypervisors.Select(h => h.Alias).ToListAsync(ct);

    protected override void Apply(ZoneDto input, Zone entity) => input.ApplyTo(entity);

    protected override string NameOf(Zone entity) => entity.Name;
}
