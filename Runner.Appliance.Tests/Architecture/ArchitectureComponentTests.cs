using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Runner.Appliance.Features.Architecture;
using Runner.Appliance.Security;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Architecture;

public sealed class ArchitectureComponentTests : ComponentTestBase
{
    private async Task<ArchitectureService> GeneratedAsync()
    {
        ArchitectureBed.Seed(Store);
        var service = Services.GetRequiredService<ArchitectureService>();
        Assert.True((await service.GenerateAsync(false, null, "olga")).Outcome.Succeeded);
        return service;
    }

    [Fact]
    public async Task TheRecapCharts_PlotExactlyTheTotalsOfTheTables()
    {
        await GeneratedAsync();
        SignInAs("vera", Roles.Viewer);
        var recap = await Services.GetRequiredService<ArchitectureRecapService>().RecapAsync();

        var cut = Render<RecapView>(p => p.Add(v => v.Recap, recap));

        foreach (var (metric, label) in new[] { (RecapMetric.Vcpu, "vCPU"), (RecapMetric.RamGb, "RAM (GB)"), (RecapMetric.DiskGb, "Disk (GB)"), (RecapMetric.Vms, "VMs") })
        {
            await cut.FindAll(".mud-toggle-item").Single(b => b.TextContent.Trim() == label).ClickAsync(new());
            var charts = cut.FindComponents<MudChart<double>>();
            var stacked = charts.Single(c => c.Instance.ChartType == ChartType.StackedBar).Instance;
            var donut = charts.Single(c => c.Instance.ChartType == ChartType.Donut).Instance;

            Assert.Equal(recap.Zones.Select(z => z.Zone), stacked.ChartLabels);
            Assert.Equal(recap.Groups.Select(g => g.Group), stacked.ChartSeries.Select(s => s.Name));
            for (var zone = 0; zone < recap.Zones.Count; zone++)
                Assert.Equal(recap.Zones[zone].Totals.Get(metric), stacked.ChartSeries.Sum(s => s.Data.Values[zone]));
            Assert.Equal(recap.Groups.Select(g => g.Group), donut.ChartLabels);
            Assert.Equal(recap.Groups.Select(g => (double)g.Totals.Get(metric)), donut.ChartSeries.Single().Data.Values);
            Assert.Equal(recap.Total.Get(metric), donut.ChartSeries.Single().Data.Values.Sum());
        }
        foreach (var zone in recap.Zones)
            Assert.Equal($"{zone.Totals.Vms}|{zone.Totals.Vcpu}|{zone.Totals.RamGb}|{zone.Totals.DiskGb:N0}", Cells(cut, $"totals-{zone.Zone}"));
        Assert.Equal(recap.Total.Vms.ToString(System.Globalization.CultureInfo.InvariantCulture), cut.Find("[data-testid='total-VMs']").TextContent);
    }

    [Fact]
    public async Task TheVmGrid_ShowsAnEditsErrorUnderItsField_ThenSavesAndMarksTheRow()
    {
        var service = await GeneratedAsync();
        SignInAs("olga", Roles.Operator);
        var provider = Render<MudDialogProvider>();
        var page = Render<ArchitectureStepPage>();

        // The click's handler waits for the dialog to close: keep its task and await it once saved.
        var editing = page.Find("[data-testid='edit-vm-prod-bastion-01']").ClickAsync(new());
        await provider.WaitForElement("[data-testid='field-ipAddress']").ChangeAsync(new() { Value = "10.1.100.20" });
        await provider.Find("[data-testid='save-vm']").ClickAsync(new());

        provider.WaitForAssertion(() => Assert.Contains("IP address 10.1.100.20 is outside zone LAN_INFRA's subnet 10.1.10.0/24",
            provider.Find("[data-testid='field-ipAddress']").Closest(".mud-input-control")!.TextContent, StringComparison.Ordinal));
        Assert.Equal(1, (await service.ListAsync(group: "bastion")).Single().Version);

        await provider.Find("[data-testid='field-ipAddress']").ChangeAsync(new() { Value = "10.1.10.77" });
        await provider.Find("[data-testid='save-vm']").ClickAsync(new());

        await editing;
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid='edited-prod-bastion-01']")));
        Assert.Equal("10.1.10.77", (await service.ListAsync(group: "bastion")).Single().IpAddress);
    }

    private static string Cells(IRenderedComponent<RecapView> cut, string testId) =>
        string.Join("|", cut.Find($"[data-testid='{testId}']").QuerySelectorAll("td").Skip(1).Select(td => td.TextContent.Trim()));
}
