using Runner.Appliance.Hosting;

namespace Runner.Appliance.Features.Artifacts;

/// <summary>The <c>Appliance:Artifacts</c> section.</summary>
public sealed class ArtifactOptions
{
    public const string Section = "Appliance:Artifacts";

    /// <summary>
    /// The store as the VMs reach it (e.g. https://10.1.100.5/artifacts): the base of every
    /// <c>runner_artifacts.&lt;name&gt;.url</c>. Empty: roles get no url, only the path on the appliance.
    /// </summary>
    public string? PublicUrl { get; set; }

    /// <summary>How often an import's progress is pushed to open pages.</summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromMilliseconds(250);
}

/// <summary>The only thing that pushes store news to subscribers (open pages), through <see cref="Broadcast{T}"/>.</summary>
public sealed class ArtifactNotifier(ILogger<ArtifactNotifier> logger)
{
    private readonly Broadcast<ArtifactNews> _news = new(logger);

    public IDisposable Subscribe(Action<ArtifactNews> handler) => _news.Subscribe(handler);

    internal void Publish(ArtifactNews news) => _news.Publish(news);
}
