using Runner.Appliance.Features.Architecture;

namespace Runner.Appliance.Features.Preflight;

/// <summary>
/// A group that reads what a hypervisor offers. It stores nothing itself: once it has run, the runner
/// hands <see cref="Reading"/> to the architecture feature (<see cref="HypervisorCapacityService"/>), which keeps it for the recap.
/// </summary>
public interface IReadsCapacity
{
    CapacityReading? Reading { get; }
}
