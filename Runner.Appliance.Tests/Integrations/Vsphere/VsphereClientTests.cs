using Runner.Appliance.Features.Hypervisors;
using Runner.Appliance.Integrations.Tls;
using Runner.Appliance.Integrations.Vsphere;
using Runner.Appliance.Tests.Peers;

namespace Runner.Appliance.Tests.Integrations.Vsphere;

[Collection(VcsimCollection.Name)]
public sealed class VsphereClientTests(VcsimFixture fixture) : IDisposable
{
    private readonly HttpClient _http = new ServerTrust(CertificatePolicy.AcceptAny).CreateClient(TimeSpan.FromSeconds(5));
    private Vcsim Sim => fixture.Server;

    private VsphereClient NewClient(HttpClient? http = null) => new(http ?? _http, VsphereClient.SdkUri(Sim.Host, Sim.Port));

    [Fact]
    public async Task ServiceContent_DescribesTheVCenter_BeforeLogin()
    {
        var content = await NewClient().RetrieveServiceContentAsync(CancellationToken.None);

        Assert.True(content.IsVCenter);
        Assert.Equal("VirtualCenter", content.ApiType);
        Assert.Contains("vCenter", content.FullName, StringComparison.Ordinal);
        Assert.Equal("Folder", content.RootFolder.Type);
        Assert.Equal("SessionManager", content.SessionManager.Type);
        Assert.False(string.IsNullOrEmpty(content.ApiVersion));
    }

    [Fact]
    public async Task Login_WithTheRightPassword_KeepsTheSessionCookie()
    {
        var client = NewClient();
        await client.LoginAsync(Vcsim.User, Vcsim.Password, CancellationToken.None);

        Assert.True(client.LoggedIn);
        var view = await client.CreateContainerViewAsync(["Datacenter"], CancellationToken.None);
        Assert.Equal("ContainerView", view.Type);
        await client.DestroyViewAsync(view, CancellationToken.None);
        await client.LogoutAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Login_WithAWrongPassword_ThrowsInvalidLogin()
    {
        var client = NewClient();

        var refused = await Assert.ThrowsAsync<VsphereLoginRefusedException>(() => client.LoginAsync(Vcsim.User, "not-the-password", CancellationToken.None));

        Assert.Equal("InvalidLogin", refused.FaultType);
        Assert.False(client.LoggedIn);
    }

    [Fact]
    public async Task Call_WithoutLogin_FailsNotAuthenticated()
    {
        var client = NewClient();
        await client.RetrieveServiceContentAsync(CancellationToken.None);

        var fault = await Assert.ThrowsAsync<VsphereFaultException>(() => client.CreateContainerViewAsync(["Datacenter"], CancellationToken.None));

        Assert.Equal("NotAuthenticated", fault.FaultType);
    }

    [Fact]
    public async Task Inventory_ListsTheDefaultDatacenterClusterDatastoreAndNetworks()
    {
        var client = NewClient();
        await client.LoginAsync(Vcsim.User, Vcsim.Password, CancellationToken.None);

        var inventory = await VsphereInventory.ReadAsync(client, withVms: true, CancellationToken.None);
        await client.LogoutAsync(CancellationToken.None);

        Assert.Equal(["DC0"], inventory.Datacenters);
        var cluster = Assert.Single(inventory.Clusters);
        Assert.Equal(("DC0_C0", "DC0", 6, 3), (cluster.Name, cluster.Datacenter, cluster.CpuCores, cluster.Hosts));
        Assert.InRange(cluster.RamGb, 10, 12); // 3 hosts of 4 GB, read from bytes although vcsim's effectiveMemory is not in MB
        Assert.Equal(3, inventory.Hosts.Count(h => h.Cluster == "DC0_C0"));
        Assert.Contains(inventory.Hosts, h => h is { Name: "DC0_H0", Cluster: null, ComputeResource: "DC0_H0", CpuCores: 2 });
        var datastore = Assert.Single(inventory.Datastores);
        Assert.Equal(("LocalDS_0", "DC0", true), (datastore.Name, datastore.Datacenter, datastore.Accessible));
        Assert.InRange(datastore.FreeGb, 1, datastore.CapacityGb);
        Assert.Contains(inventory.Networks, n => n is { Name: "VM Network", Datacenter: "DC0", Distributed: false });
        Assert.Contains(inventory.Networks, n => n is { Name: "DC0_DVPG0", Datacenter: "DC0", Distributed: true });
        Assert.Contains(inventory.ResourcePools, p => p is { Name: "Resources", Owner: "DC0_C0", Datacenter: "DC0" });
        Assert.Contains(inventory.Folders, f => f is { Name: "vm", Path: "", Datacenter: "DC0" });
        Assert.Contains(inventory.Vms, v => v is { Name: "DC0_C0_RP0_VM0", Datacenter: "DC0", Template: false });
    }

    [Fact]
    public async Task PropertyCollector_WithASmallMaxObjects_FollowsThePagingTokenToTheEnd()
    {
        var paging = new PagingHandler(new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true } });
        using var pagedHttp = new HttpClient(paging);
        var paged = NewClient(pagedHttp);
        var whole = NewClient();
        await paged.LoginAsync(Vcsim.User, Vcsim.Password, CancellationToken.None);
        await whole.LoginAsync(Vcsim.User, Vcsim.Password, CancellationToken.None);

        var inPages = await VsphereInventory.ReadAsync(paged, withVms: true, CancellationToken.None, maxObjects: 3);
        var atOnce = await VsphereInventory.ReadAsync(whole, withVms: true, CancellationToken.None);

        Assert.True(paging.Continuations >= 5, $"only {paging.Continuations} continuations");
        Assert.Equal(atOnce.Datacenters, inPages.Datacenters);
        Assert.Equal(atOnce.Clusters, inPages.Clusters);
        Assert.Equal(atOnce.Hosts, inPages.Hosts);
        Assert.Equal(atOnce.Datastores, inPages.Datastores);
        Assert.Equal(atOnce.Networks, inPages.Networks);
        Assert.Equal(atOnce.ResourcePools, inPages.ResourcePools);
        Assert.Equal(atOnce.Vms, inPages.Vms);
    }

    [Fact]
    public async Task Logout_ThenACall_FailsNotAuthenticated()
    {
        var client = NewClient();
        await client.LoginAsync(Vcsim.User, Vcsim.Password, CancellationToken.None);
        await client.CreateContainerViewAsync(["Datastore"], CancellationToken.None);

        await client.LogoutAsync(CancellationToken.None);

        // The client still sends the old session cookie: the server itself must have ended the session.
        Assert.False(client.LoggedIn);
        var fault = await Assert.ThrowsAsync<VsphereFaultException>(() => client.CreateContainerViewAsync(["Datastore"], CancellationToken.None));
        Assert.Equal("NotAuthenticated", fault.FaultType);
    }

    [Fact]
    public async Task StandaloneEsxi_AnswersHostAgent_WithHaDatacenterAndOneHost()
    {
        using var esxi = new Vcsim("-esx");
        var client = new VsphereClient(_http, VsphereClient.SdkUri(esxi.Host, esxi.Port));
        var content = await client.RetrieveServiceContentAsync(CancellationToken.None);
        await client.LoginAsync(Vcsim.User, Vcsim.Password, CancellationToken.None);

        var inventory = await VsphereInventory.ReadAsync(client, withVms: false, CancellationToken.None);

        Assert.Equal("HostAgent", content.ApiType);
        Assert.False(content.IsVCenter);
        Assert.Equal(["ha-datacenter"], inventory.Datacenters);
        var host = Assert.Single(inventory.Hosts);
        Assert.Null(host.Cluster);
        Assert.True(host.CpuCores > 0 && host.RamGb > 0, $"{host.CpuCores} cores, {host.RamGb} GB");
        Assert.Empty(inventory.Clusters);
        Assert.Contains(inventory.Datastores, d => d.Name == "LocalDS_0");
    }

    public void Dispose() => _http.Dispose();
}
