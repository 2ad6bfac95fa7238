namespace Runner.Appliance.Engine;

/// <summary>
/// The only thing that pushes run news to subscribers (open pages, the server-sent events stream):
/// events once they are stored, and run or role status changes. A failing subscriber never stops the others.
/// </summary>
public sealed class RunNotifier(ILogger<RunNotifier> logger)
{
    public event Action<int, IReadOnlyList<RunEvent>>? EventsStored;

    public event Action<int>? RunChanged;

    internal void Stored(int runId, IReadOnlyList<RunEvent> events) => Raise(EventsStored, h => h(runId, events));

    internal void Changed(int runId) => Raise(RunChanged, h => h(runId));

    private void Raise<T>(T? handlers, Action<T> call) where T : Delegate
    {
        if (handlers is null)
            return;
        foreach (var handler in handlers.GetInvocationList().Cast<T>())
        {
            try
            {
                call(handler);
            }
#pragma warning disable CA1031 // one subscriber's bug must not stop the event flow
            catch (Exception e)
#pragma warning restore CA1031
            {
                logger.LogWarning(e, "A run subscriber failed");
            }
        }
    }
}
