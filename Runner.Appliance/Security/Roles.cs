namespace Runner.Appliance.Security;

/// <summary>The three roles and the policies built on them.</summary>
public static class Roles
{
    public const string Admin = "Admin";
    public const string Operator = "Operator";
    public const string Viewer = "Viewer";

    public static readonly IReadOnlyList<string> All = [Admin, Operator, Viewer];

    public static bool IsKnown(string? role) => role is not null && All.Contains(role, StringComparer.Ordinal);
}

public static class Policies
{
    /// <summary>Admin only: users and overrides.</summary>
    public const string Admin = "role:admin";

    /// <summary>Admin or Operator: configure, validate, run.</summary>
    public const string Operate = "role:operate";

    /// <summary>Any role: read.</summary>
    public const string View = "role:view";
}
