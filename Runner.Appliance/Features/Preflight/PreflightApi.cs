using System.Security.Claims;
using Runner.Appliance.Security;

namespace Runner.Appliance.Features.Preflight;

/// <summary>Body of <c>POST /api/v1/preflight</c>: nothing runs every check; <c>checks</c> runs those (with their group).</summary>
public sealed record PreflightRequest(IReadOnlyList<string>? Checks = null);

/// <summary>Body of <c>POST /api/v1/smtp/{id}/test</c>: with a recipient, the test also sends one mail to it.</summary>
public sealed record SmtpTestRequest(string? TestRecipient = null);

internal static class PreflightApi
{
    /// <summary>Per-item test routes: the collection's path and the owner key its check groups carry.</summary>
    private static readonly (string Path, string Key)[] Items =
        [("hypervisors", "hypervisors"), ("zones", "zones"), ("databases", "databases"), ("ldap", "ldap"),
         ("sms-providers", "sms"), ("monitoring", "monitoring"), ("flows", "flows")];

    public static void MapPreflightApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/preflight").WithTags("Preflight");
        group.MapPost("", async (PreflightRequest? request, PreflightRunner runner, ClaimsPrincipal user) =>
            {
                var scope = request?.Checks is { Count: > 0 } ids ? PreflightScope.Checks(ids) : PreflightScope.All;
                // Not the request's token: a client that gives up must not leave a half-stored preflight behind.
                var (outcome, report) = await runner.RunAsync(scope, user.ActorName(), CancellationToken.None);
                return outcome.ToHttpResult(() => TypedResults.Ok(report));
            })
            .RequireAuthorization(Policies.Operate)
            .WithSummary("Run the preflight (Operator) and return its report when done: every check, or {\"checks\":[ids]} (a check runs with the other checks of its system). 409 while a full preflight runs.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/latest", async (PreflightQueries queries, CancellationToken ct) =>
                await queries.LatestAsync(ct) is { } report ? Results.Ok(report)
                    : TypedResults.Problem("No preflight has run yet.", statusCode: StatusCodes.Status404NotFound, title: "Not found"))
            .RequireAuthorization(Policies.View)
            .WithSummary("The full preflight running now, else the latest one; `current` is false when the configuration changed since.");
        group.MapGet("/{id:int}", async (int id, PreflightQueries queries, CancellationToken ct) =>
                await queries.GetAsync(id, ct) is { } report ? Results.Ok(report)
                    : TypedResults.Problem($"There is no preflight {id}.", statusCode: StatusCodes.Status404NotFound, title: "Not found"))
            .RequireAuthorization(Policies.View).WithSummary("One stored preflight (full or an item's test) with its checks.");
        group.MapGet("/gate", (PreflightQueries queries, CancellationToken ct) => queries.GateAsync(ct))
            .RequireAuthorization(Policies.View).WithSummary("Whether a deployment may start now, and why not.");

        foreach (var (path, key) in Items)
            api.MapPost($"/{path}/{{id:int}}/test", (int id, PreflightRunner runner, ClaimsPrincipal user, CancellationToken ct) =>
                    TestAsync(runner, PreflightScope.Item($"{key}:{id}"), user, ct))
                .RequireAuthorization(Policies.Operate).WithTags("Preflight")
                .WithSummary($"Run the preflight checks of one item of {path} (Operator) and return their report; 404 when it has none.");
        api.MapPost("/smtp/{id:int}/test", (int id, SmtpTestRequest? request, PreflightRunner runner, ClaimsPrincipal user, CancellationToken ct) =>
                request?.TestRecipient is { Length: > 0 } recipient && !Validation.NetworkRules.IsEmail(recipient)
                    ? Task.FromResult<IResult>(TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["testRecipient"] = [$"'{recipient}' is not a mail address; expected name@domain."] }))
                    : TestAsync(runner, PreflightScope.Item($"smtp:{id}") with { TestRecipient = request?.TestRecipient }, user, ct))
            .RequireAuthorization(Policies.Operate).WithTags("Preflight")
            .WithSummary("Test one SMTP server (Operator): connect, TLS, AUTH; with {\"testRecipient\":\"name@domain\"} also send one test mail to it.");
        api.MapPost("/security/test", (PreflightRunner runner, ClaimsPrincipal user, CancellationToken ct) =>
                TestAsync(runner, PreflightScope.Item("security"), user, ct))
            .RequireAuthorization(Policies.Operate).WithTags("Preflight")
            .WithSummary("Run the checks of the security step (certificate, SSH key, proxy) and return their report.");
    }

    private static async Task<IResult> TestAsync(PreflightRunner runner, PreflightScope scope, ClaimsPrincipal user, CancellationToken ct)
    {
        var (outcome, report) = await runner.RunAsync(scope, user.ActorName(), ct);
        return outcome.ToHttpResult(() => TypedResults.Ok(report));
    }
}
