using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Runner.Appliance.Integrations.Tls;

namespace Runner.Appliance.Tests.Peers;

/// <summary>
/// A protocol-faithful fake Prism Central (no Nutanix simulator exists): in-test Kestrel over a
/// self-signed certificate, HTTP Basic, the v3 list endpoints and the v3 groups API, answering
/// with the shapes real Prism Central answers. Shapes taken from real answers recorded by
/// nutanix-cloud-native/prism-go-client (v3/mocks/TestOperations_ListCluster.yaml, _ListSubnet.yaml,
/// PC 2024.1): clusters/list carries metadata {kind, total_matches} without length or offset and
/// lists Prism Central itself with service_list ["PRISM_CENTRAL"]; other lists carry
/// {kind, offset, length, total_matches}; entities are {status{name, state, cluster_reference,
/// resources}, spec{name, …}, metadata{uuid, kind, …}}. The groups answer
/// (group_results[0].entity_results[].{entity_id, data[{name, values[{values[…], time}]}]},
/// total_entity_count, all values as strings) follows what nutanix.ansible (module_utils/prism/groups.py)
/// and the Morpheus Nutanix plugin read. Like a real server, it returns at most
/// <see cref="MaxPageLength"/> entities whatever length is asked.
/// </summary>
public sealed partial class FakePrismCentral : IAsyncLifetime
{
    public const string User = "admin";
    public const string Password = "Nutanix/4u-test";

    private Microsoft.AspNetCore.Builder.WebApplication? _app;

    /// <summary>Its server certificate: self-signed unless a test gives one (a site CA's, say).</summary>
    public X509Certificate2 Certificate { get; init; } = LoopbackHttps.SelfSigned("prism-central.fake.local");

    public string Thumbprint => ServerTrust.Format(Certificate.GetCertHash(HashAlgorithmName.SHA256));

    public int Port { get; private set; }

    public int MaxPageLength { get; set; } = 20;

    public List<FakeEntity> Clusters { get; } = [];
    public List<FakeEntity> Subnets { get; } = [];
    public List<FakeEntity> Images { get; } = [];
    public List<FakeContainer> Containers { get; } = [];

    /// <summary>Every authenticated call as "clusters/list@0", "groups@20": what was asked, from which offset.</summary>
    public ConcurrentQueue<string> Calls { get; } = new();

    public async Task InitializeAsync() => (_app, Port) = await LoopbackHttps.StartAsync(Certificate, app =>
    {
        app.Use(async (context, next) =>
        {
            if (!Authorized(context.Request))
            {
                context.Response.Headers.WWWAuthenticate = "Basic realm=\"Intent Gateway Login Required\"";
                await Error(context, StatusCodes.Status401Unauthorized, "AUTHENTICATION_REQUIRED", "Authentication required.");
                return;
            }
            await next(context);
        });
        app.MapPost("/api/nutanix/v3/vms/list", ListVmsAsync);
        app.MapPost("/api/nutanix/v3/vms", CreateVmAsync);
        app.MapGet("/api/nutanix/v3/tasks/{uuid}", TaskAsync);
        app.MapPost("/api/nutanix/v3/{plural}/list", ListAsync);
        app.MapPost("/api/nutanix/v3/groups", GroupsAsync);
    });

    public async Task DisposeAsync()
    {
        if (_app is not null)
            await _app.DisposeAsync();
        Certificate.Dispose();
    }

    private async Task ListAsync(HttpContext context, string plural)
    {
        var (kind, list) = plural switch
        {
            "clusters" => ("cluster", Clusters),
            "subnets" => ("subnet", Subnets),
            "images" => ("image", Images),
            _ => ("", null),
        };
        if (list is null)
        {
            await Error(context, StatusCodes.Status404NotFound, "ENTITY_NOT_FOUND", $"Kind {plural} is not known.");
            return;
        }
        var body = await JsonNode.ParseAsync(context.Request.Body) ?? new JsonObject();
        var offset = (int?)body["offset"] ?? 0;
        var length = Math.Min((int?)body["length"] ?? MaxPageLength, MaxPageLength);
        Calls.Enqueue($"{plural}/list@{offset}");
        if (Filter((string?)body["filter"], "name") is { } name)
            list = [.. list.Where(e => e.Name == name)];
        var metadata = new JsonObject { ["kind"] = kind, ["total_matches"] = list.Count };
        if (kind != "cluster")
        {
            metadata["offset"] = offset;
            metadata["length"] = Math.Max(0, Math.Min(length, list.Count - offset));
        }
        var entities = new JsonArray([.. list.Skip(offset).Take(length).Select(e => e.ToJson(kind))]);
        await Json(context, StatusCodes.Status200OK, new JsonObject { ["api_version"] = "3.1", ["metadata"] = metadata, ["entities"] = entities });
    }

    private async Task GroupsAsync(HttpContext context)
    {
        var body = await JsonNode.ParseAsync(context.Request.Body) ?? new JsonObject();
        if ((string?)body["entity_type"] != "storage_container")
        {
            await Error(context, StatusCodes.Status400BadRequest, "INVALID_REQUEST", "This fake serves entity_type storage_container only.");
            return;
        }
        var offset = (int?)body["group_member_offset"] ?? 0;
        var count = Math.Min((int?)body["group_member_count"] ?? MaxPageLength, MaxPageLength);
        Calls.Enqueue($"groups@{offset}");
        var named = Filter((string?)body["filter_criteria"], "container_name");
        var containers = named is null ? Containers : [.. Containers.Where(c => c.Name == named)];
        var attributes = (body["group_member_attributes"] as JsonArray ?? []).Select(a => (string?)a?["attribute"]).OfType<string>().ToList();
        var results = new JsonArray([.. containers.Skip(offset).Take(count).Select(c => c.ToJson(attributes))]);
        var group = new JsonObject
        {
            ["entity_results"] = results, ["group_by_column_value"] = null, ["group_summaries"] = new JsonObject(), ["total_entity_count"] = containers.Count,
        };
        await Json(context, StatusCodes.Status200OK, new JsonObject
        {
            ["entity_type"] = "storage_container", ["filtered_entity_count"] = containers.Count, ["filtered_group_count"] = 1,
            ["total_entity_count"] = Containers.Count, ["total_group_count"] = 1, ["group_results"] = new JsonArray(group),
        });
    }

    private static bool Authorized(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.Ordinal))
            return false;
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(header[6..])) == $"{User}:{Password}";
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>The v3 error status: {"api_version","code","message_list":[{"message","reason"}],"state":"ERROR"}.</summary>
    private static Task Error(HttpContext context, int code, string reason, string message) => Json(context, code, new JsonObject
    {
        ["api_version"] = "3.1", ["code"] = code, ["state"] = "ERROR",
        ["message_list"] = new JsonArray(new JsonObject { ["message"] = message, ["reason"] = reason }),
    });

    private static async Task Json(HttpContext context, int code, JsonNode body)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(JsonSerializerOptions.Default));
    }
}
