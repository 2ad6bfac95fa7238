using System.Text.Json.Serialization;

namespace Runner.Appliance.Hosting;

internal static class ApiServices
{
    public static IServiceCollection AddApplianceApi(this IServiceCollection services)
    {
        services.AddProblemDetails(problems => problems.CustomizeProblemDetails = context =>
            context.ProblemDetails.Extensions["traceId"] = context.HttpContext.TraceIdentifier);
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        services.AddOpenApi("v1", openApi => openApi.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Runner Appliance API";
            document.Info.Description = "Configure, validate and run an offline platform deployment. " +
                "Obtain a bearer token from POST /api/v1/token and send it as 'Authorization: Bearer <token>'.";
            return Task.CompletedTask;
        }));
        return services;
    }
}
