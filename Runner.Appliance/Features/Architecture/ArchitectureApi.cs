using System.Security.Claims;
using Runner.Appliance.Security;

namespace Runner.Appliance.Features.Architecture;

/// <summary>Body of <c>POST /architecture/generate</c>.</summary>
public sealed record GenerateRequest(bool Reset = false, bool Preview = false, string? Expect = null);

/// <summary>What a generation did (or, for a preview, would do).</summary>
public sealed record GenerateResponse(bool Applied, string? Tier, int VmCount, string Summary, string Fingerprint, IReadOnlyList<VmChange> Changes)
{
    public static GenerateResponse From(ArchitecturePlan plan, bool applied) =>
        new(applied, plan.Tier?.Id, plan.Vms.Count, plan.Summary, plan.Fingerprint, plan.Changes);
}

internal static class ArchitectureApi
{
    public static void MapArchitectureApi(this IEndpointRouteBuilder api)
    {
        var vms = api.MapGroup("/virtual-machines").WithTags("Architecture");
        vms.MapGet("", (ArchitectureService service, string? group, string? zone, CancellationToken ct) => service.ListAsync(group, zone, ct))
            .RequireAuthorization(Policies.View)
            .WithSummary("The VMs of the architecture, in provisioning order; filter with ?group= or ?zone=.");
        vms.MapGet("/{id:int}", async (int id, ArchitectureService service, CancellationToken ct) =>
                await service.GetAsync(id, ct) is { } vm ? Results.Ok(vm) : Results.Problem($"There is no VM with id {id}.", statusCode: 404, title: "Not found"))
            .RequireAuthorization(Policies.View)
            .WithSummary("One VM.");
        vms.MapPut("/{id:int}", async (int id, VirtualMachineDto input, ArchitectureService service, ClaimsPrincipal user, CancellationToken ct) =>
                (await service.UpdateAsync(id, input, user.ActorName(), ct)).ToHttpResult(TypedResults.NoContent))
            .RequireAuthorization(Policies.Operate)
            .WithSummary("Edit a VM's host name, IP address, size or placement (Operator). What differs from the sizing is kept by later generations. Send the version you read.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);

        var architecture = api.MapGroup("/architecture").WithTags("Architecture");
        architecture.MapPost("/generate", async (GenerateRequest? request, ArchitectureService service, ClaimsPrincipal user, CancellationToken ct) =>
            {
                request ??= new GenerateRequest();
                if (request.Preview)
                {
                    var preview = await service.PreviewAsync(request.Reset, ct);
                    return preview.CanApply
                        ? Results.Ok(GenerateResponse.From(preview, applied: false))
                        : TypedResults.ValidationProblem(preview.Problems.ToDictionary(), title: "The architecture cannot be generated.");
                }
                var (outcome, plan) = await service.GenerateAsync(request.Reset, request.Expect, user.ActorName(), ct);
                return outcome.ToHttpResult(() => Results.Ok(GenerateResponse.From(plan, applied: true)));
            })
            .RequireAuthorization(Policies.Operate)
            .WithSummary("Generate the VM architecture from the sizing rules (Operator). Hand edits are kept unless reset is true; preview returns the changes without applying them; expect (a preview's fingerprint) refuses with 409 if the outcome changed since.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);
        architecture.MapGet("/recap", (ArchitectureRecapService service, CancellationToken ct) => service.RecapAsync(ct))
            .RequireAuthorization(Policies.View)
            .WithSummary("Totals by zone and by group, and required against available capacity where the preflight has seen the hypervisor.");
        architecture.MapGet("/sizing", (ArchitectureService service) => service.Rules)
            .RequireAuthorization(Policies.View)
            .WithSummary("The sizing rules in force: tiers, VM groups, limits and capacity policy.");
        architecture.MapGet("/inventory.csv", async (InventoryExporter exporter, CancellationToken ct) =>
                Results.Text(await exporter.CsvAsync(ct), "text/csv; charset=utf-8"))
            .RequireAuthorization(Policies.View)
            .WithSummary("The VM inventory as CSV.");
        architecture.MapGet("/inventory.json", async (InventoryExporter exporter, CancellationToken ct) =>
                Results.Text(await exporter.AnsibleInventoryAsync(ct), "application/json"))
            .RequireAuthorization(Policies.View)
            .WithSummary("The VM inventory as the JSON inventory Ansible reads: groups by VM group, by zone and by Kubernetes cluster.");
    }
}
