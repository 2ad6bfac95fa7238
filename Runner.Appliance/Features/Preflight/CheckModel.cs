using Runner.Appliance.Features.Configuration.Collections;

namespace Runner.Appliance.Features.Preflight;

/// <summary>A blocking check stops a run while it fails; a warning is shown and does not.</summary>
public enum CheckSeverity { Blocking, Warning }

public enum CheckStatus { Pending, Running, Passed, Warning, Failed, Skipped }

/// <summary>
/// The input a check verifies: the wizard item and field, and the link that opens its editor
/// ("wizard/hypervisors?edit=hypervisors:3"; the page adds the field and the check).
/// </summary>
public sealed record FieldRef(string Area, string Item, string Field, string Link)
{
    /// <summary>A field of one item of a wizard collection (hypervisors, zones, databases, ldap, smtp, sms, monitoring, flows).</summary>
    public static FieldRef ForItem(ItemKind kind, int id, string item, string field) =>
        new(StepTitle(kind.WizardStep), item, field, $"{kind.WizardStep}?edit={kind.Owner(id)}");

    /// <summary>A field of a singleton step (security, products).</summary>
    public static FieldRef ForStep(string step, string item, string field) => new(StepTitle(step), item, field, step);

    /// <summary>The same input, another field of it (a login failure points at the password, not the host).</summary>
    public FieldRef WithField(string field) => this with { Field = field };

    private static string StepTitle(string step) => step switch
    {
        "wizard/hypervisors" => "Hypervisors",
        "wizard/zones" => "Network zones",
        "wizard/services" => "Services",
        "wizard/security" => "Security",
        "wizard/flows" => "Flows",
        "wizard/architecture" => "Architecture",
        _ => "Products",
    };
}

/// <summary>What a check verifies, declared before it runs so that the page lists every check at once.</summary>
public sealed record CheckDefinition(string Id, string Category, string Title, CheckSeverity Severity, FieldRef? Target);

/// <summary>What one check found. <see cref="Field"/> overrides the definition's field when the cause is elsewhere.</summary>
public sealed record CheckOutcome(CheckStatus Status, string Message, string? Field = null, string? Detail = null)
{
    public static CheckOutcome Passed(string message, string? detail = null) => new(CheckStatus.Passed, message, Detail: detail);

    public static CheckOutcome Failed(string message, string? field = null, string? detail = null) => new(CheckStatus.Failed, message, field, detail);

    /// <summary>A problem that does not stop a run (or, for a blocking check, the runner keeps it a warning only when the check is a warning).</summary>
    public static CheckOutcome Warn(string message, string? field = null, string? detail = null) => new(CheckStatus.Warning, message, field, detail);

    public static CheckOutcome Skipped(string reason) => new(CheckStatus.Skipped, reason);
}

/// <summary>One check's result as stored and shown.</summary>
public sealed record CheckResult(CheckDefinition Check, CheckStatus Status, string Message, string? Field, string? Detail, long DurationMs)
{
    public bool Blocks => Check.Severity == CheckSeverity.Blocking && Status == CheckStatus.Failed;

    /// <summary>The wizard link that opens the input the result points to, with the field and the check named.</summary>
    public string? Link => Check.Target is { } target
        ? $"{target.Link}{(target.Link.Contains('?', StringComparison.Ordinal) ? '&' : '?')}field={Uri.EscapeDataString(Field ?? target.Field)}&check={Uri.EscapeDataString(Check.Id)}"
        : null;
}
