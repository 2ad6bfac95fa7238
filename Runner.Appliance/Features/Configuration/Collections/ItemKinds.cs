namespace Runner.Appliance.Features.Configuration.Collections;

/// <summary>
/// One kind of configuration item: its key (owner of its preflight checks, "hypervisors:3", test ids),
/// its name in the answer file and in the secret paths, its API path, the wizard step that edits it,
/// how people call it, and whether its preflight checks can be run on their own from its list.
/// </summary>
public sealed record ItemKind(string Key, string Collection, string ApiPath, string WizardStep, string Title, string Noun, string Plural, bool Testable = true)
{
    /// <summary>The owner of one item's checks, and the "edit=" value that opens its editor: "hypervisors:3".</summary>
    public string Owner(int id) => $"{Key}:{id}";
}

/// <summary>The registry of item kinds: every place that names a kind takes it from here.</summary>
public static class ItemKinds
{
    public static ItemKind Hypervisors { get; } = new("hypervisors", "hypervisors", "/hypervisors", "wizard/hypervisors", "Hypervisors", "hypervisor", "hypervisors");
    public static ItemKind Zones { get; } = new("zones", "zones", "/zones", "wizard/zones", "Zones", "zone", "network zones");
    public static ItemKind Databases { get; } = new("databases", "databases", "/databases", "wizard/services", "Databases", "database", "databases");
    public static ItemKind Ldap { get; } = new("ldap", "ldap", "/ldap", "wizard/services", "LDAP / Active Directory", "LDAP directory", "LDAP directories");
    public static ItemKind Smtp { get; } = new("smtp", "smtp", "/smtp", "wizard/services", "SMTP", "SMTP server", "SMTP servers");
    public static ItemKind Sms { get; } = new("sms", "smsProviders", "/sms-providers", "wizard/services", "SMS", "SMS provider", "SMS providers");
    public static ItemKind Monitoring { get; } = new("monitoring", "monitoring", "/monitoring", "wizard/services", "Monitoring", "monitoring endpoint", "monitoring endpoints");
    public static ItemKind Flows { get; } = new("flows", "flows", "/flows", "wizard/flows", "Flows", "flow", "flows");

    public static IReadOnlyList<ItemKind> All { get; } = [Hypervisors, Zones, Databases, Ldap, Smtp, Sms, Monitoring, Flows];

    public static ItemKind? ByKey(string key) => All.FirstOrDefault(k => k.Key == key);

    public static ItemKind? ByCollection(string collection) => All.FirstOrDefault(k => k.Collection == collection);
}
