using Microsoft.AspNetCore.DataProtection;
using Runner.Appliance.Features.Audit;
using Runner.Appliance.Features.Services;
using Runner.Appliance.Security;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Services;

public sealed class SmsAndMonitoringValidatorTests : IDisposable
{
    private readonly TestStore _store = new();
    private readonly SmsProviderService _sms;
    private readonly MonitoringEndpointService _monitoring;

    public SmsAndMonitoringValidatorTests()
    {
        var protector = new SecretProtector(DataProtectionProvider.Create("tests"));
        var audit = new AuditLog(_store, TimeProvider.System);
        _sms = new SmsProviderService(_store, audit, TimeProvider.System, protector);
        _monitoring = new MonitoringEndpointService(_store, audit, TimeProvider.System, protector);
    }

    private static SmsProviderDto Sms(Action<SmsProviderDto>? change = null)
    {
        var s = new SmsProviderDto { Alias = "gateway", Url = "https://sms.example.local/api/send", Secret = new SecretInput("key"), Sender = "RUNNER" };
        change?.Invoke(s);
        return s;
    }

    private static MonitoringEndpointDto Coroot(Action<MonitoringEndpointDto>? change = null)
    {
        var m = new MonitoringEndpointDto { Tool = MonitoringTool.Coroot, Alias = "coroot", Endpoint = "https://coroot.example.local" };
        change?.Invoke(m);
        return m;
    }

    [Fact]
    public void GoodEntries_AreAccepted()
    {
        Assert.True(_sms.Validate(Sms(), []).IsEmpty);
        Assert.True(_sms.Validate(Sms(s => s.Sender = "+33612345678"), []).IsEmpty);
        Assert.True(_monitoring.Validate(Coroot(), []).IsEmpty);
        Assert.True(_monitoring.Validate(Coroot(m => { m.Username = "reader"; m.Password = new SecretInput("pw"); }), []).IsEmpty);
    }

    [Theory]
    [InlineData("url", "sms.example.local/api", "is not an http(s) URL")]
    [InlineData("secret", null, "Password or API key of the SMS gateway is required")]
    [InlineData("sender", "RUNNER-APPLIANCE", "expected up to 11 letters or digits")]
    [InlineData("sender", "+0612", "phone number in international form")]
    [InlineData("sender", "", "Sender is required")]
    public void BadSmsField_IsRejectedNamingIt(string field, string? value, string message)
    {
        var input = field switch
        {
            "url" => Sms(s => s.Url = value),
            "secret" => Sms(s => s.Secret = null),
            _ => Sms(s => s.Sender = value),
        };

        var errors = _sms.Validate(input, []);

        Assert.Equal([field], errors.Fields);
        Assert.Contains(message, errors.For(field));
    }

    [Fact]
    public void MonitoringUserWithoutPassword_AndAMissingEndpoint_AreRejected()
    {
        Assert.Contains("Password for monitoring user 'reader' is required", _monitoring.Validate(Coroot(m => m.Username = "reader"), []).For("password"));
        Assert.Contains("Endpoint URL is required", _monitoring.Validate(Coroot(m => m.Endpoint = null), []).For("endpoint"));
        Assert.Contains("already used", _monitoring.Validate(Coroot(), [Coroot(m => m.Id = 3)]).For("alias"));
    }

    public void Dispose() => _store.Dispose();
}
