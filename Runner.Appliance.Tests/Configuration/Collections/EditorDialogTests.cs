using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Runner.Appliance.Features.Flows;
using Runner.Appliance.Features.Hypervisors;
using Runner.Appliance.Features.Services;
using Runner.Appliance.Features.Zones;
using Runner.Appliance.Security;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Configuration.Collections;

/// <summary>Every step's editor: saving an empty form shows each error under its own field and saves nothing.</summary>
public sealed class EditorDialogTests : ComponentTestBase
{
    public static TheoryData<Type, Type, string, string> Editors() => new()
    {
        { typeof(HypervisorEditorDialog), typeof(HypervisorService), "field-alias", "Alias is required" },
        { typeof(ZoneEditorDialog), typeof(ZoneService), "field-subnet", "Subnet is required" },
        { typeof(DatabaseEditorDialog), typeof(DatabaseServerService), "field-databaseName", "Database name is required" },
        { typeof(LdapEditorDialog), typeof(LdapDirectoryService), "field-url", "URL is required" },
        { typeof(SmtpEditorDialog), typeof(SmtpServerService), "field-fromAddress", "From address is required" },
        { typeof(SmsEditorDialog), typeof(SmsProviderService), "field-sender", "Sender is required" },
        { typeof(MonitoringEditorDialog), typeof(MonitoringEndpointService), "field-endpoint", "Endpoint URL is required" },
        { typeof(FlowEditorDialog), typeof(FlowRuleService), "field-source", "Source is required" },
    };

    [Theory]
    [MemberData(nameof(Editors))]
    public async Task SavingAnEmptyEditor_ShowsTheErrorUnderItsField(Type editor, Type serviceType, string fieldTestId, string message)
    {
        SignInAs("olga", Roles.Operator);
        var provider = Render<MudDialogProvider>();
        var dialogs = Services.GetRequiredService<IDialogService>();
        var parameters = new DialogParameters { ["Service"] = Services.GetRequiredService(serviceType) };

        await provider.InvokeAsync(() => dialogs.ShowAsync(editor, "Add", parameters));
        await provider.Find("[data-testid=save-item]").ClickAsync(new());

        provider.WaitForAssertion(() =>
            Assert.Contains(message, provider.Find($"[data-testid={fieldTestId}]").Closest(".mud-input-control")!.TextContent));
        await using var db = Store.CreateDbContext();
        Assert.Empty(db.AuditEntries);
    }
}
