namespace Runner.Appliance.Features.Preflight;

/// <summary>Pushes preflight progress to open pages: a check's new state, and the end of a preflight.</summary>
public sealed class PreflightNotifier(ILogger<PreflightNotifier> logger)
{
    public event Action<int, PreflightCheckView>? CheckChanged;

    public event Action<int>? Finished;

    internal void Changed(int runId, PreflightCheckView check) => Raise(() => CheckChanged?.Invoke(runId, check));

    internal void Ended(int runId) => Raise(() => Finished?.Invoke(runId));

    private void Raise(Action raise)
    {
        try
        {
            raise();
        }
#pragma warning disable CA1031 // a page's bug must not stop a preflight
        catch (Exception e)
#pragma warning restore CA1031
        {
            logger.LogWarning(e, "A preflight subscriber failed");
        }
    }
}
