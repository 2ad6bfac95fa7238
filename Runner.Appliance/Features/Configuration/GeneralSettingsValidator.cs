using Runner.Appliance.Validation;

namespace Runner.Appliance.Features.Configuration;

/// <summary>One validator for the wizard form and the API.</summary>
public static class GeneralSettingsValidator
{
    public const int MaxConcurrentUsers = 1_000_000;

    public static FieldErrors Validate(GeneralSettingsDto input)
    {
        var errors = new FieldErrors();
        var prefix = input.EnvironmentPrefix?.Trim() ?? "";
        if (prefix.Length == 0)
            errors.Add("environmentPrefix", "Environment prefix is required; it starts every VM host name (e.g. 'prod' gives prod-vault-01).");
        else if (prefix.Length > 12 || !NetworkRules.IsHostLabel(prefix) || !char.IsAsciiLetterLower(prefix[0]) || prefix.Any(char.IsAsciiLetterUpper))
            errors.Add("environmentPrefix", $"Environment prefix '{prefix}' is not valid; expected 1 to 12 lowercase letters, digits or hyphens, starting with a letter (e.g. 'prod').");

        var domain = input.BaseDomain?.Trim() ?? "";
        if (domain.Length == 0)
            errors.Add("baseDomain", "Base domain is required (e.g. 'example.local'); service names are built under it.");
        else if (!NetworkRules.IsDomainName(domain))
            errors.Add("baseDomain", $"Base domain '{domain}' is not a DNS domain name; expected labels of letters, digits and hyphens separated by dots (e.g. 'apps.example.local').");
        else if (domain != domain.TrimEnd('.').ToLowerInvariant())
            // Stored as written, never rewritten behind the technician's back: say what to write instead.
            errors.Add("baseDomain", $"Write the base domain in lower case without a final dot: '{domain.TrimEnd('.').ToLowerInvariant()}'.");

        if (input.ConcurrentUsers is < 1 or > MaxConcurrentUsers)
            errors.Add("concurrentUsers", $"Concurrent users is {input.ConcurrentUsers}; expected a number from 1 to {MaxConcurrentUsers:N0}.");

        var products = input.Products ?? [];
        if (products.Count == 0)
            errors.Add("products", "Select at least one product to deploy.");
        foreach (var unknown in products.Where(p => !Products.IsKnown(p)))
            errors.Add("products", $"Product '{unknown}' is not known; expected one of {string.Join(", ", Products.All.Select(p => p.Id))}.");
        foreach (var twice in products.GroupBy(p => p, StringComparer.Ordinal).Where(g => g.Count() > 1))
            errors.Add("products", $"Product '{twice.Key}' is listed {twice.Count()} times; list each product once.");
        return errors;
    }
}
