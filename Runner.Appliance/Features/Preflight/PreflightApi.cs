using System.Security.Claims;
using Runner.Appliance.Features.Configuration.Collections;
using Runner.Appliance.Security;

namespace Runner.Appliance.Features.Preflight;

/// <summary>Body of <c>POST /api/v1/preflight</c>: nothing runs every check; <c>checks</c> runs those (with their group).</summary>
public sealed record PreflightRequest(IReadOnlyList<string>? Checks = null);

/// <summary>Body of <c>POST /api/v1/smtp/{id}/test</c>: with a recipient, the test also sends one mail to it.</summary>
public sealed record SmtpTestRequest(string? TestRecipient = null);

internal static class PreflightApi
{
    /// <summary>Item kinds with a plain per-item test route; SMTP has its own, which takes a test recipient.</summary>
    private static IEnumerable<ItemKind> PlainTests => ItemKinds.All.Where(k => k.Testable && k != ItemKinds.Smtp);

    public static void MapPreflightApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/preflight").WithTags("Preflight");
        group.MapPost("", async (PreflightRequest? request, PreflightService preflight, ClaimsPrincipal user) =>
            {
                // Not the request's token: a client that gives up must not leave a half-stored preflight behind.
                var (outcome, report) = await preflight.RunAsync(request?.Checks, user.ActorName(), CancellationToken.None);
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

        foreach (var kind in PlainTests)
            api.MapPost($"{kind.ApiPath}/{{id:int}}/test", (int id, PreflightService preflight, ClaimsPrincipal user, CancellationToken ct) =>
                    TestAsync(preflight, kind.Owner(id), null, user, ct))
                .RequireAuthorization(Policies.Operate).WithTags("Preflight")
                .WithSummary($"Run the preflight checks of one item of {kind.ApiPath.TrimStart('/')} (Operator) and return their report; 404 when it has none.");
        api.MapPost($"{ItemKinds.Smtp.ApiPath}/{{id:int}}/test", (int id, SmtpTestRequest? request, PreflightService preflight, ClaimsPrincipal user, CancellationToken ct) =>
                request?.TestRecipient is { Length: > 0 } recipient && !Validation.NetworkRules.IsEmail(recipient)
                    ? Task.FromResult<IResult>(TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["testRecipient"] = [$"'{recipient}' is not a mail address; expected name@domain."] }))
                    : TestAsync(preflight, ItemKinds.Smtp.Owner(id), request?.TestRecipient, user, ct))
            .RequireAuthorization(Policies.Operate).WithTags("Preflight")
            .WithSummary("Test one SMTP server (Operator): connect, TLS, AUTH; with {\"testRecipient\":\"name@domain\"} also send one test mail to it.");
        api.MapPost("/security/test", (PreflightService preflight, ClaimsPrincipal user, CancellationToken ct) =>
                TestAsync(preflight, "security", null, user, ct))
            .RequireAuthorization(Policies.Operate).WithTags("Preflight")
            .WithSummary("Run the checks of the security step (certificate, SSH key, proxy) and return their report.");
    }

    private static async Task<IResult> TestAsync(PreflightService preflight, string owner, string? testRecipient, ClaimsPrincipal user, CancellationToken ct)
    {
        var (outcome, report) = await preflight.TestAsync(owner, user.ActorName(), testRecipient, ct);
        return outcome.ToHttpResult(() => TypedResults.Ok(report));
    }
}
