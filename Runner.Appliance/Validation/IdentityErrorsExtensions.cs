using Microsoft.AspNetCore.Identity;

namespace Runner.Appliance.Validation;

internal static class IdentityErrorsExtensions
{
    /// <summary>Files Identity's messages under the form field they are about.</summary>
    public static FieldErrors ToFieldErrors(this IEnumerable<IdentityError> errors)
    {
        var result = new FieldErrors();
        foreach (var error in errors)
            result.Add(error.Code.StartsWith("Password", StringComparison.Ordinal) ? "password" : "username", error.Description);
        return result;
    }
}
