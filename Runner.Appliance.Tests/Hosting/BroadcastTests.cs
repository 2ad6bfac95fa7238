using Microsoft.Extensions.Logging.Abstractions;
using Runner.Appliance.Hosting;

namespace Runner.Appliance.Tests.Hosting;

/// <summary>The one live-update pattern: isolated subscribers, disposable subscriptions.</summary>
public sealed class BroadcastTests
{
    [Fact]
    public void AFailingSubscriber_NeverSilencesTheOthers()
    {
        var broadcast = new Broadcast<int>(NullLogger.Instance);
        var heard = new List<string>();
        using var first = broadcast.Subscribe(n => heard.Add($"first {n}"));
        using var failing = broadcast.Subscribe(_ => throw new InvalidOperationException("a page's bug"));
        using var last = broadcast.Subscribe(n => heard.Add($"last {n}"));

        broadcast.Publish(1);
        broadcast.Publish(2);

        Assert.Equal(["first 1", "last 1", "first 2", "last 2"], heard);
    }

    [Fact]
    public void ADisposedSubscription_HearsNothingMore_AndDisposingTwiceIsHarmless()
    {
        var broadcast = new Broadcast<string>(NullLogger.Instance);
        var heard = new List<string>();
        var subscription = broadcast.Subscribe(heard.Add);
        using var other = broadcast.Subscribe(_ => { });

        broadcast.Publish("before");
        subscription.Dispose();
        subscription.Dispose();
        broadcast.Publish("after");

        Assert.Equal(["before"], heard);
        Assert.Equal(1, broadcast.Subscribers);
    }

    [Fact]
    public void ASubscriberThatUnsubscribesWhileHearing_DoesNotDisturbTheRound()
    {
        var broadcast = new Broadcast<int>(NullLogger.Instance);
        var heard = new List<string>();
        IDisposable? self = null;
        self = broadcast.Subscribe(n => { heard.Add($"self {n}"); self!.Dispose(); });
        using var other = broadcast.Subscribe(n => heard.Add($"other {n}"));

        broadcast.Publish(1);
        broadcast.Publish(2);

        Assert.Equal(["self 1", "other 1", "other 2"], heard);
    }
}
