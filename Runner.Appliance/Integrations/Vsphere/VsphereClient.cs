using System.Net.Http.Headers;
using System.Xml;
using System.Xml.Linq;
using static Runner.Appliance.Integrations.Vsphere.VsphereXml;

namespace Runner.Appliance.Integrations.Vsphere;

/// <summary>What RetrieveServiceContent tells before login: the product and the managers the client talks to.</summary>
public sealed record ServiceContent(string FullName, string ApiType, string Version, string ApiVersion,
    MoRef RootFolder, MoRef PropertyCollector, MoRef ViewManager, MoRef SessionManager)
{
    /// <summary>A standalone ESXi host answers HostAgent; a vCenter answers VirtualCenter.</summary>
    public bool IsVCenter => ApiType == "VirtualCenter";
}

/// <summary>
/// The few vSphere SOAP calls the preflight needs, over an HttpClient that already applies the
/// server trust: a vSphere SDK is not available here, and the same /sdk endpoint serves vCenter
/// and standalone ESXi (which has no REST inventory API).
/// </summary>
public sealed class VsphereClient(HttpClient http, Uri sdk)
{
    private const string SessionCookie = "vmware_soap_session";
    private static readonly MoRef ServiceInstance = new("ServiceInstance", "ServiceInstance");
    private string? _cookie;
    // The version RetrieveServiceContent works with on any release; the server's own is used afterwards.
    private string _apiVersion = "6.0";

    public ServiceContent? Content { get; private set; }

    public bool LoggedIn { get; private set; }

    public static Uri SdkUri(string host, int port) => new UriBuilder(Uri.UriSchemeHttps, host, port, "/sdk").Uri;

    public async Task<ServiceContent> RetrieveServiceContentAsync(CancellationToken ct)
    {
        var r = await InvokeAsync("RetrieveServiceContent", ServiceInstance, [], ct) ?? throw new VsphereProtocolException("RetrieveServiceContent returned nothing.");
        var about = r.Element(Vim + "about");
        MoRef Ref(string name) => MoRef.From(r.Element(Vim + name)) ?? throw new VsphereProtocolException($"The service content has no {name}.");
        Content = new ServiceContent(about?.Element(Vim + "fullName")?.Value ?? "", about?.Element(Vim + "apiType")?.Value ?? "",
            about?.Element(Vim + "version")?.Value ?? "", about?.Element(Vim + "apiVersion")?.Value ?? "",
            Ref("rootFolder"), Ref("propertyCollector"), Ref("viewManager"), Ref("sessionManager"));
        if (Content.ApiVersion.Length > 0)
            _apiVersion = Content.ApiVersion;
        return Content;
    }

    /// <summary>Logs in and keeps the session cookie; a refused user or password throws <see cref="VsphereLoginRefusedException"/>.</summary>
    public async Task LoginAsync(string userName, string password, CancellationToken ct)
    {
        var content = Content ?? await RetrieveServiceContentAsync(ct);
        await InvokeAsync("Login", content.SessionManager, [Element("userName", userName), Element("password", password)], ct);
        LoggedIn = true;
    }

    public async Task LogoutAsync(CancellationToken ct)
    {
        if (Content is null || !LoggedIn)
            return;
        // The cookie is kept: a later call shows whether the server really ended the session.
        await InvokeAsync("Logout", Content.SessionManager, [], ct);
        LoggedIn = false;
    }

    /// <summary>A view of every object of the given types below the root folder, at any depth.</summary>
    public async Task<MoRef> CreateContainerViewAsync(IEnumerable<string> types, CancellationToken ct)
    {
        var content = Required();
        var r = await InvokeAsync("CreateContainerView", content.ViewManager,
            [content.RootFolder.ToXml("container"), types.Select(t => Element("type", t)), Element("recursive", "true")], ct);
        return MoRef.From(r) ?? throw new VsphereProtocolException("CreateContainerView returned no view.");
    }

    public Task DestroyViewAsync(MoRef view, CancellationToken ct) => InvokeAsync("DestroyView", view, [], ct);

    /// <summary>
    /// Reads <paramref name="properties"/> (per type, e.g. "Datastore" → name, summary) of every object
    /// in <paramref name="view"/>, following the paging token until the server has sent everything.
    /// </summary>
    public async Task<IReadOnlyList<ObjectContent>> RetrieveAsync(MoRef view, IReadOnlyDictionary<string, string[]> properties,
        int maxObjects = 500, CancellationToken ct = default)
    {
        var content = Required();
        var spec = Element("specSet", new object[]
        {
            properties.Select(p => Element("propSet", new object[] { Element("type", p.Key), p.Value.Select(path => Element("pathSet", path)) })),
            Element("objectSet", new object[]
            {
                view.ToXml("obj"), Element("skip", "true"),
                Typed("selectSet", "TraversalSpec", Element("name", "view"), Element("type", "ContainerView"), Element("path", "view"), Element("skip", "false")),
            }),
        });
        var objects = new List<ObjectContent>();
        var result = await InvokeAsync("RetrievePropertiesEx", content.PropertyCollector, [spec, Element("options", Element("maxObjects", maxObjects))], ct);
        objects.AddRange(Objects(result));
        while (result?.Element(Vim + "token")?.Value is { Length: > 0 } token)
        {
            result = await InvokeAsync("ContinueRetrievePropertiesEx", content.PropertyCollector, [Element("token", token)], ct);
            objects.AddRange(Objects(result));
        }
        return objects;
    }

    private ServiceContent Required() => Content ?? throw new InvalidOperationException("RetrieveServiceContent first.");

    /// <summary>Posts one call and returns its returnval (null when the method returns nothing); a SOAP fault throws.</summary>
    private async Task<XElement?> InvokeAsync(string method, MoRef target, IEnumerable<object> arguments, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, sdk);
        request.Content = new StringContent(Envelope(method, target, arguments).ToString(SaveOptions.DisableFormatting), System.Text.Encoding.UTF8, "text/xml");
        request.Headers.Add("SOAPAction", $"\"urn:vim25/{_apiVersion}\"");
        if (_cookie is not null)
            request.Headers.Add("Cookie", $"{SessionCookie}={_cookie}");
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
        KeepSession(response.Headers);
        var body = await response.Content.ReadAsStringAsync(ct);
        XDocument document;
        try
        {
            document = XDocument.Parse(body);
        }
        catch (XmlException)
        {
            throw new VsphereProtocolException($"{sdk.Authority} answered {method} with HTTP {(int)response.StatusCode} and no SOAP body: it does not look like a vSphere SDK endpoint.");
        }
        var soapBody = document.Root?.Element(Soap + "Body")
            ?? throw new VsphereProtocolException($"{sdk.Authority} answered {method} with HTTP {(int)response.StatusCode} and XML that is not a SOAP envelope.");
        if (soapBody.Element(Soap + "Fault") is { } fault)
            throw Fault(fault);
        return soapBody.Element(Vim + method + "Response")?.Element(Vim + "returnval");
    }

    private void KeepSession(HttpResponseHeaders headers)
    {
        if (!headers.TryGetValues("Set-Cookie", out var cookies))
            return;
        foreach (var cookie in cookies)
        {
            var pair = cookie.Split(';', 2)[0].Split('=', 2);
            if (pair.Length == 2 && pair[0].Trim() == SessionCookie)
                _cookie = pair[1].Trim();
        }
    }

    private static VsphereFaultException Fault(XElement fault)
    {
        var message = fault.Element("faultstring")?.Value ?? "";
        var detail = fault.Element("detail")?.Elements().FirstOrDefault();
        // The fault type is the detail's xsi:type ("InvalidLogin"), or its element name less "Fault".
        var type = detail?.Attribute(Xsi + "type")?.Value is { } xsiType ? xsiType[(xsiType.IndexOf(':', StringComparison.Ordinal) + 1)..]
            : detail?.Name.LocalName is { } name ? (name.EndsWith("Fault", StringComparison.Ordinal) ? name[..^5] : name) : "SystemError";
        return type == "InvalidLogin" ? new VsphereLoginRefusedException(message) : new VsphereFaultException(type, message);
    }
}
