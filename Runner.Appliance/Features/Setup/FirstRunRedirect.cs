using Microsoft.AspNetCore.Components.Endpoints;

namespace Runner.Appliance.Features.Setup;

internal static class FirstRunRedirect
{
    public const string SetupPath = "/setup";

    /// <summary>Until the first administrator exists, every page leads to the first-run page.</summary>
    public static IApplicationBuilder UseFirstRunRedirect(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var page = context.GetEndpoint()?.Metadata.GetMetadata<ComponentTypeMetadata>();
            if (page is not null && page.Type != typeof(SetupPage)
                && await context.RequestServices.GetRequiredService<SetupState>().IsRequiredAsync(context.RequestAborted))
            {
                context.Response.Redirect($"{context.Request.PathBase}{SetupPath}");
                return;
            }
            await next(context);
        });
}
