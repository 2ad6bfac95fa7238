using System.Text.RegularExpressions;
using Runner.Appliance.Hosting;
using Runner.Appliance.Security;
using Runner.Appliance.Validation;

namespace Runner.Appliance.Features.Users;

/// <summary>The rules every account input follows, wherever it comes from (setup, users page, API).</summary>
public static partial class AccountRules
{
    public static void CheckUsername(FieldErrors errors, string? username, string field = "username")
    {
        if (string.IsNullOrWhiteSpace(username))
            errors.Add(field, "User name is required.");
        else if (username.Length is < 3 or > 64)
            errors.Add(field, $"User name '{username}' has {username.Length} characters; expected 3 to 64.");
        else if (!UsernamePattern().IsMatch(username))
            errors.Add(field, $"User name '{username}' contains characters that are not allowed; use letters, digits, '.', '-', '_' or '@'.");
    }

    public static void CheckPassword(FieldErrors errors, string? password, string field = "password")
    {
        if (string.IsNullOrEmpty(password))
            errors.Add(field, $"Password is required (at least {SecurityServices.MinimumPasswordLength} characters).");
        else if (password.Length < SecurityServices.MinimumPasswordLength)
            errors.Add(field, $"Password has {password.Length} characters; at least {SecurityServices.MinimumPasswordLength} are required.");
        else if (TextRules.Problem(password, PasswordRule) is { } problem)
            errors.Add(field, $"Password: {problem}");
    }

    /// <summary>A pass phrase may be long, but one line of printable characters (what a login form can type).</summary>
    public static TextLimitAttribute PasswordRule { get; } = new(256);

    public static void CheckRole(FieldErrors errors, string? role, string field = "role")
    {
        if (!Roles.IsKnown(role))
            errors.Add(field, $"Role '{role}' is not known; expected one of {string.Join(", ", Roles.All)}.");
    }

    [GeneratedRegex("^[A-Za-z0-9._@-]+$")]
    private static partial Regex UsernamePattern();
}
