using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Runner.Appliance.Features.AnswerFile;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.AnswerFile;

public sealed class AnswerFileTests : AdminAppliance
{
    private const string Passphrase = AnswerFileSite.Passphrase;
    private const string VcenterPassword = AnswerFileSite.VcenterPassword;

    private static Task FillAsync(HttpClient admin) => AnswerFileSite.FillAsync(admin);

    private static Task<string> ExportAsync(HttpClient client, string? passphrase = null) => AnswerFileSite.ExportAsync(client, passphrase);

    private static Task<HttpResponseMessage> ImportAsync(HttpClient client, string json, string? passphrase = null) => AnswerFileSite.ImportAsync(client, json, passphrase);

    private async Task<(ApplianceHost Host, HttpClient Admin, TempDirectory Data)> FreshApplianceAsync()
    {
        var data = new TempDirectory();
        var host = new ApplianceHost(data.Path);
        return (host, await host.AdminClientAsync(), data);
    }

    [Fact]
    public async Task ExportWithoutPassphrase_HasNoSecret_AndImportThenExport_GivesTheSameDocument()
    {
        await FillAsync(Admin);
        var exported = await ExportAsync(Admin);
        var (host, admin, data) = await FreshApplianceAsync();
        using (host)
        using (data)
        {
            var import = await ImportAsync(admin, exported);
            var again = await ExportAsync(admin);

            Assert.Equal(HttpStatusCode.NoContent, import.StatusCode);
            Assert.Equal(exported, again);
            Assert.DoesNotContain(VcenterPassword, exported);
            Assert.Contains("\"schemaVersion\": 1", exported);
            Assert.False(JsonNode.Parse(exported)!.AsObject().ContainsKey("secrets") && JsonNode.Parse(exported)!["secrets"] is not null);
            var hypervisor = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/hypervisors"))[0];
            Assert.False(hypervisor.GetProperty("passwordSet").GetBoolean());
        }
    }

    [Fact]
    public async Task SecretsSealedWithAPassphrase_RoundTrip_AndAWrongPassphraseIsRefused()
    {
        await FillAsync(Admin);
        var exported = await ExportAsync(Admin, Passphrase);
        Assert.DoesNotContain(VcenterPassword, exported);
        var (host, admin, data) = await FreshApplianceAsync();
        using (host)
        using (data)
        {
            var wrong = await ImportAsync(admin, exported, "not the passphrase");
            var missing = await ImportAsync(admin, exported);
            var right = await ImportAsync(admin, exported, Passphrase);

            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
            Assert.Contains("The passphrase does not open", (await Api.ProblemAsync(wrong)).GetProperty("errors").GetProperty("$.secrets")[0].GetString());
            Assert.Contains("give the passphrase", (await Api.ProblemAsync(missing)).GetProperty("errors").GetProperty("$.secrets")[0].GetString());
            Assert.Equal(HttpStatusCode.NoContent, right.StatusCode);
            Assert.True((await admin.GetFromJsonAsync<JsonElement>("/api/v1/hypervisors"))[0].GetProperty("passwordSet").GetBoolean());
            Assert.True((await admin.GetFromJsonAsync<JsonElement>("/api/v1/security")).GetProperty("sshPrivateKeySet").GetBoolean());
            var secretsBefore = SecretsEnvelope.Open(JsonSerializer.Deserialize<AnswerFileDocument>(exported, AnswerFileJson.Options)!.Secrets!, Passphrase);
            var secretsAfter = SecretsEnvelope.Open(JsonSerializer.Deserialize<AnswerFileDocument>(await ExportAsync(admin, Passphrase), AnswerFileJson.Options)!.Secrets!, Passphrase);
            Assert.Equal(secretsBefore, secretsAfter);
            Assert.Equal(VcenterPassword, secretsAfter!["hypervisors[0].password"]);
        }
    }

    [Fact]
    public async Task ADocumentWithFiveScatteredErrors_ReportsAllFiveByJsonPath_AndChangesNothing()
    {
        await FillAsync(Admin);
        var document = JsonNode.Parse(await ExportAsync(Admin))!;
        document["general"]!["baseDomain"] = "not a domain";
        document["hypervisors"]![0]!["host"] = "bad_host!";
        document["zones"]![1]!["gateway"] = "10.9.9.1";
        document["smtp"]![0]!["fromAddress"] = "nobody";
        document["flows"]![0]!["source"] = "CORE";
        var before = await ExportAsync(Admin);

        var response = await ImportAsync(Admin, document.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await Api.ProblemAsync(response)).GetProperty("errors");
        Assert.Equal(
            ["$.flows[0].source", "$.general.baseDomain", "$.hypervisors[0].host", "$.smtp[0].fromAddress", "$.zones[1].gateway"],
            errors.EnumerateObject().Select(e => e.Name).Order());
        Assert.Contains("Gateway 10.9.9.1 is outside subnet 10.1.200.0/24", errors.GetProperty("$.zones[1].gateway")[0].GetString());
        Assert.Equal(before, await ExportAsync(Admin));
    }

    [Fact]
    public async Task AnUnknownFieldOrABadType_IsReportedWithItsPath()
    {
        var unknown = await ImportAsync(Admin, """{ "schemaVersion": 1, "zones": [ { "name": "DMZ", "colour": "red" } ] }""");
        var badType = await ImportAsync(Admin, """{ "schemaVersion": 1, "zones": [ { "name": "DMZ", "vlanId": "three hundred" } ] }""");
        var future = await ImportAsync(Admin, """{ "schemaVersion": 2 }""");

        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.True((await Api.ProblemAsync(unknown)).GetProperty("errors").TryGetProperty("$.zones[0].colour", out _));
        Assert.True((await Api.ProblemAsync(badType)).GetProperty("errors").TryGetProperty("$.zones[0].vlanId", out _));
        Assert.Contains("not supported", (await Api.ProblemAsync(future)).GetProperty("errors").GetProperty("$.schemaVersion")[0].GetString());
    }

    [Fact]
    public async Task TheArchitectureWithItsHandEdits_TravelsInTheAnswerFile()
    {
        await FillAsync(Admin);
        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsJsonAsync("/api/v1/architecture/generate", new { })).StatusCode);
        var vm = (await Admin.GetFromJsonAsync<JsonElement[]>("/api/v1/virtual-machines?group=bastion"))![0];
        var edit = JsonSerializer.Deserialize<Dictionary<string, object?>>(vm.GetRawText())!;
        (edit["hostName"], edit["vcpu"]) = ("jump01", 6);
        Assert.Equal(HttpStatusCode.NoContent, (await Admin.PutAsJsonAsync($"/api/v1/virtual-machines/{vm.GetProperty("id").GetInt32()}", edit)).StatusCode);
        var exported = await ExportAsync(Admin);
        var (host, admin, data) = await FreshApplianceAsync();
        using (host)
        using (data)
        {
            Assert.Equal(HttpStatusCode.NoContent, (await ImportAsync(admin, exported)).StatusCode);

            Assert.Equal(exported, await ExportAsync(admin));
            var imported = (await admin.GetFromJsonAsync<JsonElement[]>("/api/v1/virtual-machines?group=bastion"))![0];
            Assert.Equal(("jump01", 6), (imported.GetProperty("hostName").GetString(), imported.GetProperty("vcpu").GetInt32()));
            Assert.Equal(["size", "hostName"], imported.GetProperty("editedFields").EnumerateArray().Select(f => f.GetString()));
            var preview = await admin.PostAsJsonAsync("/api/v1/architecture/generate", new { preview = true });
            Assert.Equal("no change", (await preview.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("summary").GetString());
        }
    }

    [Fact]
    public async Task AVmThatBreaksARule_IsReportedByItsPath_AndNothingIsImported()
    {
        await FillAsync(Admin);
        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsJsonAsync("/api/v1/architecture/generate", new { })).StatusCode);
        var document = JsonNode.Parse(await ExportAsync(Admin))!;
        var vms = document["virtualMachines"]!.AsArray();
        vms[0]!["ipAddress"] = "10.1.200.20";
        vms[1]!["group"] = "mainframe";
        vms[2]!["hostName"] = vms[3]!["hostName"]!.GetValue<string>();
        var (host, admin, data) = await FreshApplianceAsync();
        using (host)
        using (data)
        {
            var response = await ImportAsync(admin, document.ToJsonString());
            var errors = (await Api.ProblemAsync(response)).GetProperty("errors");

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("is outside zone LAN_INFRA's subnet 10.1.100.0/24", errors.GetProperty("$.virtualMachines[0].ipAddress")[0].GetString(), StringComparison.Ordinal);
            Assert.StartsWith("Group 'mainframe' is not a VM group", errors.GetProperty("$.virtualMachines[1].group")[0].GetString(), StringComparison.Ordinal);
            Assert.Contains("is already used by the VM", errors.GetProperty("$.virtualMachines[2].hostName")[0].GetString(), StringComparison.Ordinal);
            Assert.Empty(await admin.GetFromJsonAsync<JsonElement[]>("/api/v1/virtual-machines") ?? []);
            Assert.Empty(await admin.GetFromJsonAsync<JsonElement[]>("/api/v1/zones") ?? []);
        }
    }

    [Fact]
    public async Task TheSchema_IsPublished_AndMatchesTheCopyInDocs()
    {
        var published = await Admin.GetStringAsync("/api/v1/answer-file/schema");
        var docs = Repository.PathOf("docs", "answer-file.schema.json");

        Assert.Contains("\"schemaVersion\"", published);
        Assert.True(File.Exists(docs), "docs/answer-file.schema.json is missing: copy GET /api/v1/answer-file/schema there");
        Assert.Equal(JsonNode.Parse(await File.ReadAllTextAsync(docs))!.ToJsonString(), JsonNode.Parse(published)!.ToJsonString());
    }
}
