using Runner.Appliance.Tests.Peers;

namespace Runner.Appliance.Tests.Integrations.Vsphere;

/// <summary>One default vcsim for the vSphere tests; a test that needs another inventory starts its own.</summary>
[CollectionDefinition(Name)]
public sealed class VcsimCollection : ICollectionFixture<VcsimFixture>
{
    public const string Name = "vcsim";
}

public sealed class VcsimFixture : IDisposable
{
    public Vcsim Server { get; } = new();

    public void Dispose() => Server.Dispose();
}
