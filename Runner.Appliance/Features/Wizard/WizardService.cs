using Microsoft.EntityFrameworkCore;
using Runner.Appliance.Components.Layout;
using Runner.Appliance.Data;

namespace Runner.Appliance.Features.Wizard;

/// <summary>Remembers the wizard step an operator is on (one configuration per appliance, so one position).</summary>
public sealed class WizardService(IDbContextFactory<ApplianceDb> dbFactory, TimeProvider clock)
{
    public static string FirstStep => Navigation.WizardSteps[0].Href;

    public async Task<string> CurrentStepAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var step = await db.WizardProgress.AsNoTracking().Select(p => p.CurrentStep).SingleOrDefaultAsync(ct);
        return IsAvailableStep(step) ? step! : FirstStep;
    }

    public async Task VisitAsync(string step, string actor, CancellationToken ct = default)
    {
        if (!IsAvailableStep(step))
            return;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.WizardProgress.SingleOrDefaultAsync(ct);
        if (row is null)
            db.WizardProgress.Add(row = new WizardProgress());
        if (row.CurrentStep == step)
            return;
        row.CurrentStep = step;
        row.UpdatedBy = actor;
        row.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
    }

    private static bool IsAvailableStep(string? step) => Navigation.WizardSteps.Any(s => s.Available && s.Href == step);
}
