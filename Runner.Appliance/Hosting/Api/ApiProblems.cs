using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Runner.Appliance.Validation;

namespace Runner.Appliance.Hosting.Api;

/// <summary>
/// The problem details the API answers to input it cannot take, in one place: too large, the wrong
/// media type, broken or mistyped JSON, a parameter that does not parse. Nothing a client sends is
/// answered with a 500.
/// </summary>
public static partial class ApiProblems
{
    public static IResult TooLarge(BodyLimit limit) => TypedResults.Problem(
        $"The request body is larger than the {limit.Words} this endpoint accepts.",
        statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large");

    public static IResult UnsupportedMediaType(string? contentType) => TypedResults.Problem(
        $"This endpoint reads JSON: send the body with 'Content-Type: application/json'{(string.IsNullOrEmpty(contentType) ? "" : $" (not '{contentType}')")}.",
        statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type");

    public static IResult Invalid(FieldErrors errors) =>
        TypedResults.ValidationProblem(errors.ToDictionary(), title: "The request has invalid fields.");

    /// <summary>What a failed parameter binding or body read means to the client, in its words.</summary>
    public static IResult FromBadRequest(BadHttpRequestException e) => e switch
    {
        { StatusCode: StatusCodes.Status413PayloadTooLarge } => TypedResults.Problem(
            "The request body is larger than this endpoint accepts.", statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large"),
        { StatusCode: StatusCodes.Status415UnsupportedMediaType } => UnsupportedMediaType(null),
        { InnerException: JsonException json } => Invalid(FieldErrors.Single(Field(json.Path), JsonShape.Broken(json))),
        _ when BindFailure().Match(e.Message) is { Success: true } bind => Invalid(FieldErrors.Single(bind.Groups["name"].Value,
            $"'{bind.Groups["value"].Value}' cannot be read as {Words(bind.Groups["type"].Value)}.")),
        _ when MissingParameter().Match(e.Message) is { Success: true } missing => Invalid(FieldErrors.Single(missing.Groups["name"].Value,
            $"Required: give it in the {missing.Groups["source"].Value}.")),
        _ when e.Message.Contains("body", StringComparison.OrdinalIgnoreCase) => Invalid(FieldErrors.Single("$",
            "The request body is missing: send a JSON object (the OpenAPI document at /openapi/v1.json describes it).")),
        _ => TypedResults.Problem(e.Message, statusCode: e.StatusCode, title: "Bad request"),
    };

    private static string Field(string? path) => path is null or "$" ? "$" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;

    private static string Words(string type) => type.TrimEnd('?') switch
    {
        "int" or "long" or "short" => "a whole number",
        "bool" => "true or false",
        "Guid" => "an identifier",
        _ => $"a {type.TrimEnd('?')}",
    };

    [GeneratedRegex("""Failed to bind parameter "(?<type>\S+) (?<name>\w+)" from "(?<value>.*)"\.""")]
    private static partial Regex BindFailure();

    [GeneratedRegex("""Required parameter "\S+ (?<name>\w+)" was not provided from (?<source>[\w ]+)\.""")]
    private static partial Regex MissingParameter();
}

/// <summary>Maps <see cref="BadHttpRequestException"/> (thrown by binding, see RouteHandlerOptions.ThrowOnBadRequest) to problem details.</summary>
internal sealed class BadRequestHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad || context.Response.HasStarted)
            return false;
        await ApiProblems.FromBadRequest(bad).ExecuteAsync(context);
        return true;
    }
}
