using System.Text.RegularExpressions;

namespace Runner.Appliance.Features.Services;

/// <summary>Syntax of distinguished names (RFC 4514, simplified) and search filters (RFC 4515: balanced, parenthesised).</summary>
public static partial class LdapRules
{
    public static bool IsDistinguishedName(string value) =>
        SplitUnescaped(value, ',').All(rdn => RdnPattern().IsMatch(rdn.Trim()));

    public static bool IsFilter(string value)
    {
        value = value.Trim();
        if (value.Length < 3 || value[0] != '(' || value[^1] != ')')
            return false;
        var depth = 0;
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\') { i++; continue; }
            depth += value[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (depth < 0 || (depth == 0 && i < value.Length - 1))
                return false;
        }
        return depth == 0 && value.Contains('=', StringComparison.Ordinal);
    }

    private static IEnumerable<string> SplitUnescaped(string value, char separator)
    {
        var start = 0;
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\') { i++; continue; }
            if (value[i] != separator) continue;
            yield return value[start..i];
            start = i + 1;
        }
        yield return value[start..];
    }

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9-]*=(\\.|[^,=+\\])+$")]
    private static partial Regex RdnPattern();
}
