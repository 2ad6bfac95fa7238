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
    private const string Passphrase = "correct horse battery staple";
    private const string VcenterPassword = "vc-Password-Marker-55aa";

    private async Task FillAsync(HttpClient admin)
    {
        static object Zone(string name, int vlan, string prefix) => new
        {
            name, vlanId = vlan, subnet = $"{prefix}.0/24", gateway = $"{prefix}.1", dnsServers = new[] { "10.1.0.10" },
            ntpServers = new[] { "10.1.0.20" }, rangeStart = $"{prefix}.10", rangeEnd = $"{prefix}.60", hypervisor = "vc",
        };
        async Task Post(string path, object body) => Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync(path, body)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync("/api/v1/configuration",
            new { environmentPrefix = "prod", baseDomain = "example.local", concurrentUsers = 800, products = new[] { "EServices", "GCO" }, version = 0 })).StatusCode);
        await Post("/api/v1/hypervisors", new { kind = "VCenter", alias = "vc", host = "vcenter.example.local", username = "administrator@vsphere.local",
            password = new { newValue = VcenterPassword }, datacenter = "DC0", cluster = "C0", datastore = "DS", network = "VM Network", template = "rhel9" });
        await Post("/api/v1/zones", Zone("LAN_INFRA", 100, "10.1.100"));
        await Post("/api/v1/zones", Zone("LAN_APPS", 200, "10.1.200"));
        await Post("/api/v1/zones", Zone("DMZ", 300, "192.168.30"));
        await Post("/api/v1/databases", new { kind = "PostgreSql", alias = "pg", host = "10.1.0.30", databaseName = "runner", username = "runner", password = new { newValue = "pg-pass" } });
        await Post("/api/v1/ldap", new { alias = "ad", url = "ldaps://ad.example.local", tlsMode = "Ldaps", bindDn = "cn=svc,dc=example,dc=local",
            bindPassword = new { newValue = "ldap-pass" }, baseDn = "dc=example,dc=local", userFilter = "(objectClass=user)" });
        await Post("/api/v1/smtp", new { alias = "relay", host = "smtp.example.local", fromAddress = "runner@example.local" });
        await Post("/api/v1/sms-providers", new { alias = "sms", url = "https://sms.example.local/send", secret = new { newValue = "api-key" }, sender = "RUNNER" });
        await Post("/api/v1/monitoring", new { tool = "Coroot", alias = "coroot", endpoint = "https://coroot.example.local" });
        await Post("/api/v1/flows", new { source = "DMZ", destination = "LAN_APPS", protocol = "Tcp", ports = "443" });
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync("/api/v1/security",
            new { tlsMode = "InternalCa", deploymentUser = "runner", sshPrivateKey = new { newValue = KeyFactory.SshPrivateKey() }, version = 0 })).StatusCode);
    }

    private static async Task<string> ExportAsync(HttpClient client, string? passphrase = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/answer-file");
        if (passphrase is not null)
            request.Headers.Add(AnswerFileApi.PassphraseHeader, passphrase);
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static Task<HttpResponseMessage> ImportAsync(HttpClient client, string json, string? passphrase = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, "/api/v1/answer-file") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (passphrase is not null)
            request.Headers.Add(AnswerFileApi.PassphraseHeader, passphrase);
        return client.SendAsync(request);
    }

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
