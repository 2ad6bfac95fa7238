namespace Runner.Appliance.Features.SecuritySettings;

/// <summary>A login found inside a proxy URL, decoded (user:p%40ss → user, p@ss).</summary>
public sealed record UrlLogin(string Username, string? Password);

/// <summary>
/// Proxy URLs carry no login: the user and password have their own fields, the password
/// encrypted. These helpers find and remove a login (user:password@) that an earlier version
/// accepted inside the URL.
/// </summary>
public static class ProxyUrl
{
    /// <summary>
    /// Whether <paramref name="url"/> holds a login. A proxy URL is scheme://host:port, so any '@' is
    /// one, with or without a scheme, and even where a URL parser would give up on the text.
    /// </summary>
    public static bool CarriesLogin(string? url) => url?.Contains('@', StringComparison.Ordinal) == true;

    /// <summary><paramref name="url"/> without its login (what is stored and shown); unchanged when it has none.</summary>
    public static string? WithoutLogin(string? url)
    {
        if (!CarriesLogin(url))
            return url;
        var (start, at) = Bounds(url!);
        return url![..start] + url[(at + 1)..];
    }

    /// <summary>The login of <paramref name="url"/>, or null when it has none (or an empty user).</summary>
    public static UrlLogin? LoginOf(string? url)
    {
        if (!CarriesLogin(url))
            return null;
        var (start, at) = Bounds(url!);
        var parts = url![start..at].Split(':', 2);
        var user = Decode(parts[0]);
        return user.Length == 0 ? null : new UrlLogin(user, parts.Length > 1 && parts[1].Length > 0 ? Decode(parts[1]) : null);
    }

    // The login runs from after "scheme://" to the last '@' (a host holds none, a password may).
    private static (int Start, int At) Bounds(string url)
    {
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        var start = scheme < 0 ? 0 : scheme + 3;
        var at = url.LastIndexOf('@');
        return (Math.Min(start, at), at);
    }

    private static string Decode(string text) => Uri.UnescapeDataString(text);
}
