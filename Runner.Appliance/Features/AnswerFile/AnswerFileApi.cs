using System.Security.Claims;
using System.Text.Json;
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
        group.MapPut("", async (HttpContext context, AnswerFileImporter importer, ClaimsPrincipal user, CancellationToken ct) =>
            {
                using var reader = new StreamReader(context.Request.Body);
                var json = await reader.ReadToEndAsync(ct);
                var outcome = await importer.ImportAsync(json, context.Request.Headers[PassphraseHeader].ToString(), user.ActorName(), ct);
                return outcome.ToHttpResult(TypedResults.NoContent);
            })
            .RequireAuthorization(Policies.Operate)
            .WithSummary("Import an answer file (Operator): every problem is reported with its JSON path and nothing changes unless the whole document is valid.")
            .Accepts<AnswerFileDocument>("application/json")
            .ProducesValidationProblem();
        group.MapGet("/schema", () => Results.Text(AnswerFileJson.Schema().ToJsonString(new JsonSerializerOptions { WriteIndented = true }), "application/schema+json"))
            .RequireAuthorization(Policies.View)
            .WithSummary("The JSON Schema of the answer file.");
    }
}
