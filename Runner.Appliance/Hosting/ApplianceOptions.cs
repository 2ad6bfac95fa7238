namespace Runner.Appliance.Hosting;

/// <summary>The <c>Appliance</c> configuration section.</summary>
public sealed class ApplianceOptions
{
    public const string Section = "Appliance";

    /// <summary>Holds the database, Data Protection keys, run workspaces and logs.</summary>
    public string DataDirectory { get; set; } = "./data";

    /// <summary>A signed-in browser with no activity for this long is signed out.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Lifetime of API bearer tokens (the original system used 30 minutes).</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How often live circuits re-check that their user is still active and unchanged.</summary>
    public TimeSpan UserRevalidationInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>PEM certificate and key for HTTPS; when set, HTTP redirects to HTTPS.</summary>
    public string? CertificatePath { get; set; }

    public string? CertificateKeyPath { get; set; }

    /// <summary>The port HTTP requests are redirected to once HTTPS is on.</summary>
    public int HttpsPort { get; set; } = 443;

    /// <summary>A site-specific copy of the sizing rules; empty means the rules shipped in the binary.</summary>
    public string? SizingFile { get; set; }

    /// <summary>Sign-in attempts (token and login form) one client address may make per minute.</summary>
    public int SignInAttemptsPerMinute { get; set; } = 10;

    /// <summary>
    /// The path the appliance is served under behind a reverse proxy (e.g. "/runner", as the original
    /// system's nginx serves it); empty: the root. Every page, asset, the circuit and the API move under it.
    /// </summary>
    public string? PathBase { get; set; }

    /// <summary>
    /// Reverse proxies whose X-Forwarded-For/-Proto/-Host/-Prefix headers are believed (addresses, or
    /// networks in CIDR form). Empty: forwarded headers are ignored, from anyone.
    /// </summary>
    public List<string> KnownProxies { get; set; } = [];

    public bool HttpsEnabled => !string.IsNullOrWhiteSpace(CertificatePath);
}
