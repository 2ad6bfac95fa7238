using Runner.Appliance.Features.AnswerFile;

namespace Runner.Appliance.Features.Preflight.Certificates;

/// <summary>
/// The names the platform publishes behind its ingresses, as the original builds them
/// ("{prefix}-argocd-apps.{base_domain}"): the site certificate must cover each of them, or
/// carry the wildcard *.{base_domain}.
/// </summary>
public static class PublishedNames
{
    private static readonly string[] Services =
        ["rancher", "argocd-apps", "argocd-middleware", "argocd-dmz", "vault", "keycloak", "minio", "grafana", "registry", "gogs"];

    public static IReadOnlyList<string> For(AnswerFileDocument configuration)
    {
        var general = configuration.General;
        if (general is null || string.IsNullOrEmpty(general.BaseDomain))
            return [];
        var prefix = string.IsNullOrEmpty(general.EnvironmentPrefix) ? "" : general.EnvironmentPrefix + "-";
        return [.. Services.Select(s => $"{prefix}{s}.{general.BaseDomain}")];
    }
}
