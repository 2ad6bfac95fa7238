namespace Runner.Appliance.Features.Preflight;

/// <summary>
/// Bounds of the preflight (section Appliance:Preflight). Every time bound of a check derives from
/// <see cref="CheckTimeout"/>, here and in <see cref="CheckGroup"/> (its answer bound): none is written in a group.
/// </summary>
public sealed class PreflightOptions
{
    public const string Section = "Appliance:Preflight";

    /// <summary>How many check groups talk to the network at once.</summary>
    public int MaxParallel { get; set; } = 8;

    /// <summary>Bound of one check group talking to one system (connect, authenticate, read), and of one SSH login.</summary>
    public TimeSpan CheckTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The zone the appliance itself sits in: flows from this zone are probed from the appliance.</summary>
    public string ApplianceZone { get; set; } = "LAN_INFRA";

    /// <summary>
    /// Bound of a group that talks to many systems side by side (a zone's DNS, NTP, gateway and planned
    /// addresses; the SSH logins to every VM; a flow's connections): 1.6 check timeouts, 8 s by default,
    /// since its probes queue behind each other's slots.
    /// </summary>
    public TimeSpan SideBySideTimeout => CheckTimeout * 1.6;

    /// <summary>Bound of one probe inside such a group (one DNS question, one NTP exchange, one ping, one TCP connect): 0.4 check timeouts, 2 s by default.</summary>
    public TimeSpan ProbeTimeout => CheckTimeout * 0.4;
}
