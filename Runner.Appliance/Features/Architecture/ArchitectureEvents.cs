namespace Runner.Appliance.Features.Architecture;

/// <summary>Tells open pages that the architecture changed (a generation or a hand edit), so they reload.</summary>
public sealed class ArchitectureEvents
{
    public event Action? Changed;

    public void Raise() => Changed?.Invoke();
}
