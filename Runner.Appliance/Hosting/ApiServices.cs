using Microsoft.OpenApi;
using Runner.Appliance.Hosting.Api;

namespace Runner.Appliance.Hosting;

internal static class ApiServices
{
    public static IServiceCollection AddApplianceApi(this IServiceCollection services)
    {
        services.AddProblemDetails(problems => problems.CustomizeProblemDetails = context =>
            context.ProblemDetails.Extensions["traceId"] = context.HttpContext.TraceIdentifier);
        services.ConfigureHttpJsonOptions(json => ApiJson.Configure(json.SerializerOptions));
        // Binding failures are thrown, so that one handler answers them with the field and what it expects.
        services.Configure<RouteHandlerOptions>(routes => routes.ThrowOnBadRequest = true);
        services.AddExceptionHandler<BadRequestHandler>();
        services.AddOpenApi("v1", openApi => openApi.AddSchemaTransformer<OpenApiTextRules>().AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Runner Appliance API";
            document.Info.Description = "Configure, validate and run an offline platform deployment. " +
                "Obtain a bearer token from POST /api/v1/token and send it in the header 'Authorization: Bearer TOKEN'.";
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes["Bearer"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "Token from POST /api/v1/token (30 minutes).",
            };
            document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("Bearer", document)] = [] }];
            return Task.CompletedTask;
        }));
        return services;
    }
}
