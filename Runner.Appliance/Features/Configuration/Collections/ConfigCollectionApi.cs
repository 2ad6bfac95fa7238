using Runner.Appliance.Security;

namespace Runner.Appliance.Features.Configuration.Collections;

internal static class ConfigCollectionApi
{
    /// <summary>
    /// CRUD routes for one configuration collection: read for every role, change for Operators.
    /// Failures are problem details; validation errors are keyed by field. (Handlers take the
    /// HttpContext and read the body themselves: the route analyzer cannot follow generic handlers.)
    /// </summary>
    public static RouteGroupBuilder MapConfigCollection<TService, TEntity, TDto>(this IEndpointRouteBuilder api, string path, string plural)
        where TService : ConfigCollectionService<TEntity, TDto>
        where TEntity : class, IConfigEntity, new()
        where TDto : class, IConfigDto
    {
        var group = api.MapGroup(path).WithTags(plural);
        group.MapGet("", (HttpContext context, CancellationToken ct) => Service(context).ListAsync(ct))
            .RequireAuthorization(Policies.View).WithSummary($"List the {plural}.").Produces<IReadOnlyList<TDto>>();
        group.MapGet("/{id:int}", async (HttpContext context, int id) =>
                await Service(context).GetAsync(id, context.RequestAborted) is { } item ? Results.Ok(item)
                    : Results.Problem($"There is no {Service(context).Noun} with id {id}.", statusCode: StatusCodes.Status404NotFound, title: "Not found"))
            .RequireAuthorization(Policies.View).WithSummary($"One of the {plural}.").Produces<TDto>();
        group.MapPost("", async (HttpContext context, CancellationToken ct) =>
            {
                if (await BodyAsync(context) is not { } input)
                    return EmptyBody();
                var (outcome, id) = await Service(context).CreateAsync(input, context.User.ActorName(), ct);
                return outcome.ToHttpResult(() => TypedResults.Created($"/api/v1{path}/{id}", new { id }));
            })
            .RequireAuthorization(Policies.Operate).WithSummary($"Add to the {plural} (Operator).")
            .Accepts<TDto>("application/json").ProducesValidationProblem();
        group.MapPut("/{id:int}", async (HttpContext context, int id) =>
                await BodyAsync(context) is { } input
                    ? (await Service(context).UpdateAsync(id, input, context.User.ActorName(), context.RequestAborted)).ToHttpResult(TypedResults.NoContent)
                    : EmptyBody())
            .RequireAuthorization(Policies.Operate)
            .WithSummary("Update (Operator). Send the version you read; a stale version gives 409.")
            .Accepts<TDto>("application/json").ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        group.MapDelete("/{id:int}", async (HttpContext context, int id) =>
                (await Service(context).DeleteAsync(id, context.User.ActorName(), context.RequestAborted)).ToHttpResult(TypedResults.NoContent))
            .RequireAuthorization(Policies.Operate).WithSummary("Delete (Operator).");
        return group;

        static TService Service(HttpContext context) => context.RequestServices.GetRequiredService<TService>();

        static async Task<TDto?> BodyAsync(HttpContext context)
        {
            try
            {
                return await context.Request.ReadFromJsonAsync<TDto>(context.RequestAborted);
            }
            catch (System.Text.Json.JsonException)
            {
                return null;
            }
        }
    }

    private static IResult EmptyBody() =>
        TypedResults.Problem("The request body is missing or is not valid JSON for this item.", statusCode: StatusCodes.Status400BadRequest, title: "Bad request");
}
