using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;
using Runner.Appliance.Validation;

namespace Runner.Appliance.Hosting.Api;

/// <summary>
/// What every API request body meets before its handler: the endpoint's size limit (413 with the
/// limit), and for a JSON endpoint the whole document checked against the type it is read into
/// (<see cref="JsonShape"/>): a 400 that names every wrong field, where the serializer would have
/// stopped at the first one in .NET terms. The checked body is handed on, buffered.
/// </summary>
public sealed class ApiInput(RequestDelegate next, IOptions<JsonOptions> json)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        var request = context.Request;
        if (endpoint is null || !HasBody(request))
        {
            await next(context);
            return;
        }
        var limit = endpoint.Metadata.GetMetadata<BodyLimit>() ?? BodyLimit.Default;
        if (request.ContentLength > limit.Bytes)
        {
            await ApiProblems.TooLarge(limit).ExecuteAsync(context);
            return;
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = limit.Bytes;
        if (endpoint.Metadata.GetMetadata<IAcceptsMetadata>() is not { RequestType: { } type } accepts || !IsJson(request, accepts)
            || endpoint.Metadata.GetMetadata<ChecksItsOwnBody>() is not null)
        {
            await next(context);
            return;
        }
        var body = await ReadAsync(request, limit, context.RequestAborted);
        if (body is null)
        {
            await ApiProblems.TooLarge(limit).ExecuteAsync(context);
            return;
        }
        var errors = JsonShape.Check(body.GetBuffer().AsMemory(0, (int)body.Length), type, json.Value.SerializerOptions);
        if (!errors.IsEmpty)
        {
            await ApiProblems.Invalid(errors).ExecuteAsync(context);
            return;
        }
        body.Position = 0;
        request.Body = body;
        await next(context);
    }

    /// <summary>
    /// Before routing: a request without a body and without a media type (a bare POST to resume)
    /// is taken as an empty JSON request, so that an endpoint whose body is optional matches it.
    /// </summary>
    public static Task EmptyBodyIsJsonAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if (string.IsNullOrEmpty(request.ContentType) && !HasBody(request) && (HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method)))
            request.ContentType = "application/json";
        return next(context);
    }

    private static bool HasBody(HttpRequest request) =>
        request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);

    private static bool IsJson(HttpRequest request, IAcceptsMetadata accepts) =>
        request.ContentType is { } contentType && accepts.ContentTypes.Any(t => contentType.StartsWith(t, StringComparison.OrdinalIgnoreCase));

    /// <summary>The body in memory, or null once it passes the limit (a chunked body has no length to refuse it by).</summary>
    private static async Task<MemoryStream?> ReadAsync(HttpRequest request, BodyLimit limit, CancellationToken ct)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > limit.Bytes)
                return null;
            await buffer.WriteAsync(chunk.AsMemory(0, read), ct);
        }
        return buffer;
    }
}
