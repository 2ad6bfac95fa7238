namespace Runner.Appliance.Hosting.Api;

/// <summary>
/// How large a request body an endpoint accepts. Every API endpoint has a class of limit; the
/// largest ones are declared where the endpoint is mapped (<see cref="BodyLimitExtensions.WithBodyLimit"/>).
/// </summary>
public sealed record BodyLimit(long Bytes)
{
    /// <summary>Sign-in and set-up: a user name and a password.</summary>
    public static BodyLimit Credentials { get; } = new(16 * 1024);

    /// <summary>Any configuration item, the security step included (a PFX file and a CA bundle in it).</summary>
    public static BodyLimit Default { get; } = new(1024 * 1024);

    /// <summary>A whole answer file: every item and every VM of an XL architecture.</summary>
    public static BodyLimit AnswerFile { get; } = new(16 * 1024 * 1024);

    public string Words => Bytes >= 1024 * 1024 ? $"{Bytes / (1024 * 1024)} MB" : $"{Bytes / 1024} KB";
}

/// <summary>Marks an endpoint that checks its JSON body itself, against its own schema (the answer file).</summary>
public sealed record ChecksItsOwnBody;

public static class BodyLimitExtensions
{
    public static TBuilder ChecksItsOwnBody<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ChecksItsOwnBody());

    public static TBuilder WithBodyLimit<TBuilder>(this TBuilder builder, BodyLimit limit) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(limit);
}
