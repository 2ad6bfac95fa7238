using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.AnswerFile;

/// <summary>No import loses a configuration: incomplete documents are refused, an empty one needs saying so, and what is replaced is kept.</summary>
public sealed class ImportSafetyTests : AdminAppliance
{
    [Theory]
    [InlineData("{}")]
    [InlineData("""{"schemaVersion":1}""")]
    public async Task AnIncompleteDocument_IsRefusedWithEveryMissingSection_AndChangesNothing(string json)
    {
        await AnswerFileSite.FillAsync(Admin);
        var before = await AnswerFileSite.ExportAsync(Admin);

        var response = await AnswerFileSite.ImportAsync(Admin, json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await Api.ProblemAsync(response)).GetProperty("errors");
        if (json == "{}")
            Assert.StartsWith("Missing: an answer file names its schema version", errors.GetProperty("$.schemaVersion")[0].GetString());
        else
            Assert.Equal(["$.databases", "$.flows", "$.general", "$.hypervisors", "$.ldap", "$.monitoring", "$.security", "$.smsProviders", "$.smtp", "$.virtualMachines", "$.zones"],
                errors.EnumerateObject().Select(e => e.Name).Order());
        Assert.Equal(before, await AnswerFileSite.ExportAsync(Admin));
    }

    [Fact]
    public async Task NullSectionsAndNullItems_AreNamedByPath_NotAServerError()
    {
        await AnswerFileSite.FillAsync(Admin);
        var document = JsonNode.Parse(await AnswerFileSite.ExportAsync(Admin))!;
        document["zones"] = null;
        document["hypervisors"]!.AsArray().Add(null);
        document["general"]!["products"]!.AsArray().Add(null);

        var response = await AnswerFileSite.ImportAsync(Admin, document.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await Api.ProblemAsync(response)).GetProperty("errors");
        Assert.Equal("Must not be null; expected a list [ … ].", errors.GetProperty("$.zones")[0].GetString());
        Assert.Equal("Must not be null; expected an object { … }.", errors.GetProperty("$.hypervisors[1]")[0].GetString());
        Assert.StartsWith("Must not be null", errors.GetProperty("$.general.products[2]")[0].GetString());
    }

    [Fact]
    public async Task AnEmptyDocument_ReplacesAConfigurationOnlyWhenAskedTo_AndTheOldOneCanBeRestoredWithItsSecrets()
    {
        await AnswerFileSite.FillAsync(Admin);
        var before = await AnswerFileSite.ExportAsync(Admin, AnswerFileSite.Passphrase);
        var empty = """
            {"schemaVersion":1,"general":null,"hypervisors":[],"zones":[],"databases":[],"ldap":[],"smtp":[],"smsProviders":[],
             "monitoring":[],"flows":[],"security":null,"virtualMachines":[]}
            """;

        var refused = await AnswerFileSite.ImportAsync(Admin, empty);
        var unchanged = await AnswerFileSite.ExportAsync(Admin, AnswerFileSite.Passphrase);
        var confirmed = await AnswerFileSite.ImportAsync(Admin, empty, query: "?replaceWithEmpty=true");
        var emptied = await Admin.GetFromJsonAsync<JsonElement>("/api/v1/hypervisors");
        var copies = await Admin.GetFromJsonAsync<JsonElement>("/api/v1/answer-file/copies");

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("would delete the current one (prod.example.local, 1 hypervisor, 3 zones, 5 services, 1 flow)",
            (await Api.ProblemAsync(refused)).GetProperty("detail").GetString());
        Assert.Equal(Secrets(before), Secrets(unchanged));
        Assert.Equal(HttpStatusCode.NoContent, confirmed.StatusCode);
        Assert.Equal(0, emptied.GetArrayLength());
        var copy = copies[0];
        Assert.Equal(("admin", "before the import of an answer file"), (copy.GetProperty("createdBy").GetString(), copy.GetProperty("reason").GetString()));

        var restore = await Admin.PostAsync($"/api/v1/answer-file/copies/{copy.GetProperty("id").GetInt32()}/restore", null);

        Assert.Equal(HttpStatusCode.NoContent, restore.StatusCode);
        var restored = await AnswerFileSite.ExportAsync(Admin, AnswerFileSite.Passphrase);
        Assert.Equal(Without(before, "secrets"), Without(restored, "secrets"));
        Assert.Equal(Secrets(before), Secrets(restored));
        Assert.Equal(AnswerFileSite.VcenterPassword, Secrets(restored)["hypervisors[0].password"]);
        Assert.Equal(1, (await Admin.GetFromJsonAsync<JsonElement>("/api/v1/answer-file/copies")).GetArrayLength()); // the emptied state holds nothing to keep
    }

    [Fact]
    public async Task ACopyHoldsNoSecretInClear()
    {
        await AnswerFileSite.FillAsync(Admin);
        var document = JsonNode.Parse(await AnswerFileSite.ExportAsync(Admin))!;
        document["general"]!["concurrentUsers"] = 900;

        Assert.Equal(HttpStatusCode.NoContent, (await AnswerFileSite.ImportAsync(Admin, document.ToJsonString())).StatusCode);

        Assert.Equal(1, (await Admin.GetFromJsonAsync<JsonElement>("/api/v1/answer-file/copies")).GetArrayLength());
        await Host.DisposeAsync();
        foreach (var file in Directory.GetFiles(DataDirectory, "appliance.db*"))
            Assert.Equal(-1, (await File.ReadAllBytesAsync(file)).AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(AnswerFileSite.VcenterPassword)));
    }

    private static Dictionary<string, string> Secrets(string exported)
    {
        var document = JsonSerializer.Deserialize<Runner.Appliance.Features.AnswerFile.AnswerFileDocument>(exported, Runner.Appliance.Features.AnswerFile.AnswerFileJson.Options)!;
        return new Dictionary<string, string>(Runner.Appliance.Features.AnswerFile.SecretsEnvelope.Open(document.Secrets!, AnswerFileSite.Passphrase)!);
    }

    private static string Without(string exported, string property)
    {
        var node = JsonNode.Parse(exported)!.AsObject();
        node.Remove(property);
        return node.ToJsonString();
    }
}
