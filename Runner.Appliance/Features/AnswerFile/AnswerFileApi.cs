using System.Security.Claims;
using System.Text.Json;
using Runner.Appliance.Hosting.Api;
using Runner.Appliance.Security;

namespace Runner.Appliance.Features.AnswerFile;

internal static class AnswerFileApi
{
    /// <summary>The passphrase travels in a header, never in a URL (URLs end up in logs).</summary>
    public const string PassphraseHeader = "X-Answer-File-Passphrase";

    public static void MapAnswerFileApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/answer-file").WithTags("Answer file");
        group.MapGet("", async (HttpContext context, AnswerFileExporter exporter, CancellationToken ct) =>
            {
                var document = await exporter.ExportAsync(context.Request.Headers[PassphraseHeader].ToString(), ct);
                return Results.Text(JsonSerializer.Serialize(document, AnswerFileJson.Options), "application/json");
            })
            .RequireAuthorization(Policies.Operate)
            .WithSummary($"Export the configuration (Operator). Secrets are included, encrypted, only when the {PassphraseHeader} header gives a passphrase.");
        group.MapPut("", async (HttpContext context, bool? replaceWithEmpty, AnswerFileImporter importer, ClaimsPrincipal user, CancellationToken ct) =>
            {
                using var reader = new StreamReader(context.Request.Body);
                var json = await reader.ReadToEndAsync(ct);
                var outcome = await importer.ImportAsync(json, context.Request.Headers[PassphraseHeader].ToString(), user.ActorName(), replaceWithEmpty ?? false, ct);
                return outcome.ToHttpResult(TypedResults.NoContent);
            })
            .RequireAuthorization(Policies.Operate)
            .WithSummary("Import an answer file (Operator): a complete document (every section, schemaVersion); every problem is reported with its JSON path " +
                         "and nothing changes unless the whole document is valid. A document that configures nothing replaces a configuration only with " +
                         "?replaceWithEmpty=true (409 otherwise). The replaced configuration is kept as a copy (GET /api/v1/answer-file/copies).")
            .Accepts<AnswerFileDocument>("application/json")
            .WithBodyLimit(BodyLimit.AnswerFile).ChecksItsOwnBody()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/demo", async (DemoSite demo, ClaimsPrincipal user, CancellationToken ct) =>
                (await demo.LoadAsync(user.ActorName(), ct)).ToHttpResult(TypedResults.NoContent))
            .RequireAuthorization(Policies.Admin)
            .WithSummary("Load the demo site (Admin), only while the configuration is empty (409 otherwise): every address on loopback, secrets left to type.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/copies", (ConfigurationCopies copies, CancellationToken ct) => copies.ListAsync(ct))
            .RequireAuthorization(Policies.Operate)
            .WithSummary($"The configurations earlier imports replaced, newest first (the last {ConfigurationCopies.Retained} are kept).");
        group.MapPost("/copies/{id:int}/restore", async (int id, AnswerFileImporter importer, ClaimsPrincipal user, CancellationToken ct) =>
                (await importer.RestoreAsync(id, user.ActorName(), ct)).ToHttpResult(TypedResults.NoContent))
            .RequireAuthorization(Policies.Operate)
            .WithSummary("Put a kept configuration back, with its secrets (Operator); the current one is kept as a copy in turn.");
        group.MapGet("/schema", () => Results.Text(AnswerFileJson.Schema().ToJsonString(new JsonSerializerOptions { WriteIndented = true }), "application/schema+json"))
            .RequireAuthorization(Policies.View)
            .WithSummary("The JSON Schema of the answer file.");
    }
}
