using System.Net;
using System.Net.Http.Json;
using System.Text;
using Runner.Appliance.Features.AnswerFile;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.AnswerFile;

/// <summary>A whole configuration entered through the API (every section, a secret in several), and the answer file's calls.</summary>
public static class AnswerFileSite
{
    public const string Passphrase = "correct horse battery staple";
    public const string VcenterPassword = "vc-Password-Marker-55aa";

    public static async Task FillAsync(HttpClient admin)
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

    public static async Task<string> ExportAsync(HttpClient client, string? passphrase = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/answer-file");
        if (passphrase is not null)
            request.Headers.Add(AnswerFileApi.PassphraseHeader, passphrase);
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    public static Task<HttpResponseMessage> ImportAsync(HttpClient client, string json, string? passphrase = null, string query = "")
    {
        var request = new HttpRequestMessage(HttpMethod.Put, "/api/v1/answer-file" + query) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (passphrase is not null)
            request.Headers.Add(AnswerFileApi.PassphraseHeader, passphrase);
        return client.SendAsync(request);
    }
}
