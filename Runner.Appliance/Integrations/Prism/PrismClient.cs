using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Runner.Appliance.Integrations.Prism;

/// <summary>
/// Prism Central v3 REST as the nutanix.ansible collection and the terraform provider speak it:
/// https on port 9440, HTTP Basic on every call, <c>POST /api/nutanix/v3/{kind}s/list</c> paged
/// with length/offset until <c>metadata.total_matches</c>. Storage containers have no v3 list
/// endpoint: real Prism Central answers them through the v3 groups API (entity_type
/// storage_container), which is what nutanix.ansible (module_utils/prism/groups.py) and the Morpheus
/// Nutanix plugin use; the v2 PrismGateway storage_containers endpoint exists only on Prism Element.
/// </summary>
public sealed class PrismClient(HttpClient http, Uri apiRoot, string username, string password)
{
    public const int DefaultPort = 9440;

    /// <summary>Entities asked per page (what nutanix.ansible asks); the server may return fewer.</summary>
    public int PageLength { get; init; } = 250;

    /// <summary>Pages read per list at most, so that a server that never reaches total_matches cannot loop forever.</summary>
    private const int MaxPages = 200;

    public static Uri ApiRoot(string host, int port) =>
        new UriBuilder(Uri.UriSchemeHttps, host.Trim(), port == 0 ? DefaultPort : port, "/api/nutanix/v3/").Uri;

    public Task<IReadOnlyList<PrismEntity>> ClustersAsync(CancellationToken ct) => ListAsync("clusters", "cluster", ct);

    public Task<IReadOnlyList<PrismEntity>> SubnetsAsync(CancellationToken ct) => ListAsync("subnets", "subnet", ct);

    public Task<IReadOnlyList<PrismEntity>> ImagesAsync(CancellationToken ct) => ListAsync("images", "image", ct);

    public async Task<IReadOnlyList<PrismContainer>> StorageContainersAsync(CancellationToken ct)
    {
        var all = new List<PrismContainer>();
        for (var page = 0; page < MaxPages; page++)
        {
            var request = new
            {
                entity_type = "storage_container",
                group_member_attributes = new[] { "container_name", "cluster", "storage.user_free_bytes", "storage.user_capacity_bytes" }
                    .Select(a => new { attribute = a }),
                group_member_count = PageLength,
                group_member_offset = all.Count,
            };
            using var answer = await PostAsync("groups", request, ct);
            var group = PrismEntity.Child(answer.RootElement, "group_results") is { ValueKind: JsonValueKind.Array } groups
                ? groups.EnumerateArray().FirstOrDefault() : default;
            var results = PrismEntity.Child(group, "entity_results") is { ValueKind: JsonValueKind.Array } r ? r.EnumerateArray().ToList() : [];
            all.AddRange(results.Select(PrismContainer.From));
            var total = Number(group, "total_entity_count") ?? Number(answer.RootElement, "filtered_entity_count") ?? all.Count;
            if (results.Count == 0 || all.Count >= total)
                break;
        }
        return all;
    }

    private async Task<IReadOnlyList<PrismEntity>> ListAsync(string path, string kind, CancellationToken ct)
    {
        var all = new List<PrismEntity>();
        for (var page = 0; page < MaxPages; page++)
        {
            using var answer = await PostAsync($"{path}/list", new { kind, length = PageLength, offset = all.Count }, ct);
            var entities = PrismEntity.Child(answer.RootElement, "entities") is { ValueKind: JsonValueKind.Array } e ? e.EnumerateArray().ToList() : [];
            all.AddRange(entities.Select(PrismEntity.From));
            // clusters/list omits metadata.length and offset: advance by what came, stop at total_matches.
            var total = Number(PrismEntity.Child(answer.RootElement, "metadata"), "total_matches") ?? all.Count;
            if (entities.Count == 0 || all.Count >= total)
                break;
        }
        return all;
    }

    private async Task<JsonDocument> PostAsync(string path, object body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(apiRoot, path)) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
            throw new PrismException(PrismRefusal.Login, $"login refused for user {username}");
        if (response.StatusCode == HttpStatusCode.Forbidden)
            throw new PrismException(PrismRefusal.Permission, $"user {username} may not read {path} ({Reason(text)})");
        if (!response.IsSuccessStatusCode)
            throw new PrismException(PrismRefusal.Answer, $"POST {path} answered HTTP {(int)response.StatusCode} ({Reason(text)})");
        try
        {
            return JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            throw new PrismException(PrismRefusal.Answer, $"POST {path} answered HTTP {(int)response.StatusCode} but not with JSON: is this a Prism Central?");
        }
    }

    /// <summary>The first message of a v3 error body ({"state":"ERROR","message_list":[{"message":…}]}), else the start of the body.</summary>
    private static string Reason(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (PrismEntity.Child(document.RootElement, "message_list") is { ValueKind: JsonValueKind.Array } list
                && list.EnumerateArray().Select(m => PrismEntity.Text(m, "message")).FirstOrDefault(m => m is not null) is { } message)
                return message;
        }
        catch (JsonException) { /* not JSON: show its start */ }
        var trimmed = body.Trim();
        return trimmed.Length == 0 ? "empty body" : trimmed[..Math.Min(trimmed.Length, 120)];
    }

    private static long? Number(JsonElement? parent, string name) =>
        PrismEntity.Child(parent, name) is { ValueKind: JsonValueKind.Number } n && n.TryGetInt64(out var value) ? value : null;
}
