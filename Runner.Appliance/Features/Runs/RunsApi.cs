using System.Security.Claims;
using System.Text.Json;
using System.Threading.Channels;
using Runner.Appliance.Engine;
using Runner.Appliance.Security;

namespace Runner.Appliance.Features.Runs;

internal static class RunsApi
{
    public static void MapRunsApi(this IEndpointRouteBuilder api)
    {
        api.MapGet("/plan", (RunQueries runs, bool? hidden, CancellationToken ct) => runs.PlanAsync(hidden ?? false, ct))
            .RequireAuthorization(Policies.View).WithTags("Deployment")
            .WithSummary("The roles a deployment of the configured products runs, in order; ?hidden=true adds the appliance's check roles.");

        var group = api.MapGroup("/runs").WithTags("Deployment");
        group.MapPost("", async (StartRunRequest? request, RunsService runs, ClaimsPrincipal user, CancellationToken ct) =>
            {
                var (outcome, id) = await runs.StartAsync(request ?? new StartRunRequest(), user.ActorName(), user.IsInRole(Roles.Admin), ct);
                return outcome.ToHttpResult(() => TypedResults.Accepted($"/api/v1/runs/{id}", new { id }));
            })
            .RequireAuthorization(Policies.Operate)
            .WithSummary("Start a run (Operator): the whole plan, or {\"roles\":[...]}; {\"check\":true} is a dry run (--check --diff). One run at a time (409). Refused (409) while the preflight gate is closed; an Admin may send {\"overrideReason\":\"...\"} to start anyway, which is recorded.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("", (RunQueries runs, CancellationToken ct) => runs.ListAsync(ct))
            .RequireAuthorization(Policies.View).WithSummary("Every run, newest first, with its roles.");
        group.MapGet("/{id:int}", async (int id, RunQueries runs, CancellationToken ct) =>
                await runs.GetAsync(id, ct) is { } run ? Results.Ok(run) : NotFound(id))
            .RequireAuthorization(Policies.View).WithSummary("One run with its roles' statuses, durations and messages.");
        group.MapGet("/{id:int}/configuration", async (int id, RunQueries runs, CancellationToken ct) =>
                await runs.SnapshotAsync(id, ct) is { } json ? Results.Text(json, "application/json") : NotFound(id))
            .RequireAuthorization(Policies.View).WithSummary("The configuration the run used (answer file, no secret): the as-built record.");
        group.MapPost("/{id:int}/resume", async (int id, RestartRunRequest? request, RunsService runs, ClaimsPrincipal user, CancellationToken ct) =>
                (await runs.ResumeAsync(id, user.ActorName(), user.IsInRole(Roles.Admin), request?.OverrideReason, ct)).ToHttpResult(() => TypedResults.Accepted($"/api/v1/runs/{id}")))
            .RequireAuthorization(Policies.Operate)
            .WithSummary("Run again, from the first role that did not succeed (successful roles are not re-run). Gated like a start: refused (409) while the preflight gate is closed, unless an Admin sends {\"overrideReason\":\"...\"} for this resume.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{id:int}/cancel", async (int id, RunsService runs, ClaimsPrincipal user, CancellationToken ct) =>
                (await runs.CancelAsync(id, user.ActorName(), ct)).ToHttpResult(() => TypedResults.Accepted($"/api/v1/runs/{id}")))
            .RequireAuthorization(Policies.Operate).WithSummary("Cancel the running role (SIGINT to its process group, then kill after the grace period).");
        group.MapPost("/{id:int}/roles/{role}/retry", async (int id, string role, RestartRunRequest? request, RunsService runs, ClaimsPrincipal user, CancellationToken ct) =>
                (await runs.RetryAsync(id, role, user.ActorName(), user.IsInRole(Roles.Admin), request?.OverrideReason, ct)).ToHttpResult(() => TypedResults.Accepted($"/api/v1/runs/{id}")))
            .RequireAuthorization(Policies.Operate)
            .WithSummary("Run one role of the run again, and only that role. Gated like a start (see resume).")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/{id:int}/roles/{roleRunId:int}/vars", async (int id, int roleRunId, RunQueries runs, CancellationToken ct) =>
                await runs.VarsAsync(id, roleRunId, ct) is { } json ? Results.Text(json, "application/json") : NotFound(id))
            .RequireAuthorization(Policies.View).WithSummary("The vars one role run received (the whole configuration; secrets are never in them, and are masked if they were).");
        group.MapGet("/{id:int}/events", async (int id, long? after, int? limit, int? roleRun, RunQueries runs, CancellationToken ct) =>
                await runs.ExistsAsync(id, ct) ? Results.Ok(await runs.EventsAsync(id, after ?? 0, limit ?? 1000, roleRun, ct)) : NotFound(id))
            .RequireAuthorization(Policies.View).WithSummary("Events after the given event id (paged, up to 5,000); ?roleRun= for one role.");
        group.MapGet("/{id:int}/events/stream", StreamAsync)
            .RequireAuthorization(Policies.View).WithSummary("Server-sent events: the events stored so far after ?after=, then each new one live, until the run ends.");
    }

    /// <summary>Catch-up from the store, then live from the run's news; events are de-duplicated by id.</summary>
    private static async Task StreamAsync(int id, long? after, HttpContext context, RunQueries runs, CancellationToken ct)
    {
        if (!await runs.ExistsAsync(id, ct))
        {
            await NotFound(id).ExecuteAsync(context);
            return;
        }
        var live = Channel.CreateUnbounded<EventView>();
        using var subscription = runs.Follow(id, news =>
        {
            if (news is RunEventsStored stored)
                foreach (var e in stored.Events)
                    live.Writer.TryWrite(e);
            else if (!runs.IsActive(id))
                live.Writer.TryComplete();
        });
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        var last = after ?? 0;
        IReadOnlyList<EventView> page;
        do
        {
            page = await runs.EventsAsync(id, last, RunQueries.MaxPage, null, ct);
            foreach (var e in page)
                last = await SendAsync(context, e, ct);
        }
        while (page.Count == RunQueries.MaxPage);
        if (!runs.IsActive(id))
            live.Writer.TryComplete();
        await foreach (var e in live.Reader.ReadAllAsync(ct))
            if (e.Id > last)
                last = await SendAsync(context, e, ct);
    }

    private static async Task<long> SendAsync(HttpContext context, EventView e, CancellationToken ct)
    {
        await context.Response.WriteAsync($"id: {e.Id}\ndata: {JsonSerializer.Serialize(e, JsonSerializerOptions.Web)}\n\n", ct);
        await context.Response.Body.FlushAsync(ct);
        return e.Id;
    }

    private static IResult NotFound(int id) => Results.Problem($"There is no run {id}.", statusCode: 404, title: "Not found");
}
