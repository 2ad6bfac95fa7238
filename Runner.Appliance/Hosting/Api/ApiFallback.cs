using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing.Template;

namespace Runner.Appliance.Hosting.Api;

/// <summary>
/// What a request that reached no API endpoint is told. Routing drops an endpoint whose media type
/// or method does not match, so "no route" may really be "send JSON" (415) or "not with this
/// method" (405): this finds which, by matching the path against the API's own route patterns.
/// </summary>
internal static class ApiFallback
{
    public static IResult Answer(HttpContext context)
    {
        var request = context.Request;
        var sources = context.RequestServices.GetServices<EndpointDataSource>();
        var matches = sources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>() is not null && Matches(e, request.Path))
            .ToList();
        var sameMethod = matches.Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods.Contains(request.Method, StringComparer.OrdinalIgnoreCase)).ToList();
        if (sameMethod.Any(e => e.Metadata.GetMetadata<IAcceptsMetadata>() is not null))
            return ApiProblems.UnsupportedMediaType(request.ContentType);
        if (sameMethod.Count == 0 && matches.Count > 0)
        {
            var allowed = matches.SelectMany(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods).Distinct().Order(StringComparer.Ordinal).ToList();
            context.Response.Headers.Allow = string.Join(", ", allowed);
            return TypedResults.Problem($"{request.Path} does not take {request.Method}; it takes {string.Join(", ", allowed)}.",
                statusCode: StatusCodes.Status405MethodNotAllowed, title: "Method not allowed");
        }
        return TypedResults.Problem($"There is no API route {request.Method} {request.Path}; see /openapi/v1.json.",
            statusCode: StatusCodes.Status404NotFound, title: "Not found");
    }

    private static bool Matches(RouteEndpoint endpoint, PathString path)
    {
        if (endpoint.RoutePattern.RawText is not { } raw || raw.Contains("{*", StringComparison.Ordinal))
            return false;
        var matcher = new TemplateMatcher(TemplateParser.Parse(raw), new RouteValueDictionary());
        var values = new RouteValueDictionary();
        return matcher.TryMatch(path, values)
            && endpoint.RoutePattern.ParameterPolicies.All(p => p.Value.All(policy => policy.Content != "int" || int.TryParse(values[p.Key]?.ToString(), out _)));
    }
}
