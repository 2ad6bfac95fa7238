using System.Globalization;
using Runner.Appliance.Features.Architecture;
using Runner.Appliance.Validation;

namespace Runner.Appliance.Features.Flows;

/// <summary>Rules of a flow: endpoints that exist, ports that make sense for the protocol, no duplicates.</summary>
public static class FlowRuleValidator
{
    /// <param name="sizing">When given, a ZONE:group endpoint must name a VM group (or cluster) the sizing puts in that zone.</param>
    public static FieldErrors Validate(FlowRuleDto input, IReadOnlyList<FlowRuleDto> others, IReadOnlyCollection<string> zones, SizingRules? sizing = null)
    {
        var errors = new FieldErrors();
        CheckEndpoint(errors, "source", "Source", input.Source, zones, sizing);
        CheckEndpoint(errors, "destination", "Destination", input.Destination, zones, sizing);
        var ports = input.Ports?.Trim();
        if (input.Protocol == FlowProtocol.Icmp)
        {
            if (!string.IsNullOrEmpty(ports))
                errors.Add("ports", "ICMP has no ports; leave Ports empty.");
        }
        else if (string.IsNullOrEmpty(ports))
            errors.Add("ports", $"Ports are required for {input.Protocol.ToString().ToUpperInvariant()}: a port (443), a range (8000-8100) or a list (80,443).");
        else if (PortProblem(ports) is { } problem)
            errors.Add("ports", problem);
        if (errors.IsEmpty && others.Any(o => Same(o, input)))
            errors.Add("ports", $"This flow ({input.Source} → {input.Destination} {input.Protocol.ToString().ToUpperInvariant()} {ports}) is already in the matrix.");
        return errors;
    }

    private static void CheckEndpoint(FieldErrors errors, string field, string label, string? value, IReadOnlyCollection<string> zones, SizingRules? sizing)
    {
        value = value?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            errors.Add(field, $"{label} is required: a zone (e.g. LAN_APPS) or a VM group in a zone (e.g. LAN_APPS:rke2-apps).");
            return;
        }
        var parts = value.Split(':');
        if (parts.Length > 2 || (parts.Length == 2 && !NetworkRules.IsHostLabel(parts[1])))
            errors.Add(field, $"{label} '{value}' is not valid; expected ZONE or ZONE:vm-group (group: letters, digits and '-').");
        else if (!zones.Contains(parts[0]))
            errors.Add(field, $"{label} zone '{parts[0]}' does not exist; known zones: {(zones.Count == 0 ? "none yet (add zones first)" : string.Join(", ", zones))}.");
        else if (parts.Length == 2 && sizing?.EndpointsIn(parts[0]) is { } known && !known.Contains(parts[1]))
            errors.Add(field, $"{label} group '{parts[1]}' is not a VM group of zone {parts[0]}; expected {(known.Count == 0 ? "the zone alone (the sizing puts no VM there)" : $"one of {string.Join(", ", known)}")}.");
    }

    private static string? PortProblem(string ports)
    {
        foreach (var part in ports.Split(',', StringSplitOptions.TrimEntries))
        {
            var bounds = part.Split('-', StringSplitOptions.TrimEntries);
            if (bounds.Length > 2 || bounds.Any(b => !int.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || !NetworkRules.IsPort(port)))
                return $"Ports '{ports}' are not valid at '{part}'; expected ports from 1 to 65535: 443, 8000-8100 or 80,443.";
            if (bounds.Length == 2 && int.Parse(bounds[0], CultureInfo.InvariantCulture) > int.Parse(bounds[1], CultureInfo.InvariantCulture))
                return $"Port range '{part}' runs backwards; write the lower port first.";
        }
        return null;
    }

    private static bool Same(FlowRuleDto a, FlowRuleDto b) =>
        a.Protocol == b.Protocol
        && string.Equals(a.Source?.Trim(), b.Source?.Trim(), StringComparison.Ordinal)
        && string.Equals(a.Destination?.Trim(), b.Destination?.Trim(), StringComparison.Ordinal)
        && string.Equals(a.Ports?.Replace(" ", ""), b.Ports?.Replace(" ", ""), StringComparison.Ordinal);
}
