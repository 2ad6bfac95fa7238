namespace Runner.Appliance.Features.Configuration.Collections;

/// <summary>What every stored configuration item has: identity, version for optimistic concurrency, last change.</summary>
public interface IConfigEntity
{
    int Id { get; set; }

    int Version { get; set; }

    string? UpdatedBy { get; set; }

    DateTimeOffset? UpdatedAt { get; set; }
}

/// <summary>The same fields as the form and the API see them.</summary>
public interface IConfigDto
{
    int Id { get; set; }

    int Version { get; set; }
}
