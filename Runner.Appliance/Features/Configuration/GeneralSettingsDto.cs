namespace Runner.Appliance.Features.Configuration;

/// <summary>The general settings as read and written by the wizard form and the API.</summary>
public sealed class GeneralSettingsDto
{
    public string? EnvironmentPrefix { get; set; }

    public string? BaseDomain { get; set; }

    public int ConcurrentUsers { get; set; }

    public List<string>? Products { get; set; } = [];

    /// <summary>The version this edit is based on (0 before the first save).</summary>
    public int Version { get; set; }

    public string? UpdatedBy { get; set; }

    public DateTimeOffset? UpdatedAt { get; set; }
}
