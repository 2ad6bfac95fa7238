namespace Runner.Appliance.Validation;

public enum OutcomeKind { Ok, Invalid, Conflict, NotFound, Forbidden }

/// <summary>What a feature service reports back from a change: pages and API map it the same way.</summary>
public sealed record Outcome(OutcomeKind Kind, FieldErrors Errors, string? Message = null)
{
    public static Outcome Ok { get; } = new(OutcomeKind.Ok, new FieldErrors());

    public bool Succeeded => Kind == OutcomeKind.Ok;

    /// <summary>What went wrong in one sentence or more, for a snackbar: the message, else every field error.</summary>
    public string Summary => Message ?? string.Join(" ", Errors.Fields.Select(f => Errors.For(f)));

    public static Outcome Invalid(FieldErrors errors) => new(OutcomeKind.Invalid, errors);

    public static Outcome Invalid(string field, string message) => Invalid(FieldErrors.Single(field, message));

    public static Outcome Conflict(string message) => new(OutcomeKind.Conflict, new FieldErrors(), message);

    public static Outcome NotFound(string message) => new(OutcomeKind.NotFound, new FieldErrors(), message);

    public static Outcome Forbidden(string message) => new(OutcomeKind.Forbidden, new FieldErrors(), message);

    /// <summary>Maps a failure to RFC 7807 problem details; success to <paramref name="ok"/>.</summary>
    public IResult ToHttpResult(Func<IResult> ok) => Kind switch
    {
        OutcomeKind.Ok => ok(),
        OutcomeKind.Invalid => TypedResults.ValidationProblem(Errors.ToDictionary(), title: "The request has invalid fields."),
        OutcomeKind.Conflict => TypedResults.Problem(Message, statusCode: StatusCodes.Status409Conflict, title: "Conflict"),
        OutcomeKind.Forbidden => TypedResults.Problem(Message, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden"),
        _ => TypedResults.Problem(Message, statusCode: StatusCodes.Status404NotFound, title: "Not found"),
    };
}
