using System.Text;
using System.Xml.Linq;
using Runner.Appliance.Integrations.Vsphere;

namespace Runner.Appliance.Tests.Integrations.Vsphere;

/// <summary>
/// Sits between the client and vcsim and pages RetrievePropertiesEx results as a real vCenter does
/// (vcsim 0.24 ignores maxObjects and has no ContinueRetrievePropertiesEx): the first answer holds
/// maxObjects objects and a token, each continuation the next ones.
/// </summary>
public sealed class PagingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private static readonly XNamespace Vim = VsphereXml.Vim;
    private readonly Dictionary<string, Queue<XElement>> _pending = [];
    private int _pageSize;

    public int Continuations { get; private set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = XDocument.Parse(await request.Content!.ReadAsStringAsync(cancellationToken));
        var call = body.Root!.Element(VsphereXml.Soap + "Body")!.Elements().Single();
        if (call.Name == Vim + "ContinueRetrievePropertiesEx")
        {
            Continuations++;
            return Page("ContinueRetrievePropertiesExResponse", call.Element(Vim + "token")!.Value);
        }
        var response = await base.SendAsync(request, cancellationToken);
        if (call.Name != Vim + "RetrievePropertiesEx" || !response.IsSuccessStatusCode)
            return response;
        _pageSize = int.Parse(call.Element(Vim + "options")!.Element(Vim + "maxObjects")!.Value, System.Globalization.CultureInfo.InvariantCulture);
        var answer = XDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        var objects = answer.Descendants(Vim + "objects").ToList();
        var token = Guid.NewGuid().ToString("N");
        _pending[token] = new Queue<XElement>(objects);
        response.Dispose();
        return Page("RetrievePropertiesExResponse", token);
    }

    private HttpResponseMessage Page(string response, string token)
    {
        var queue = _pending[token];
        var page = new List<XElement>();
        while (page.Count < _pageSize && queue.Count > 0)
            page.Add(queue.Dequeue());
        var more = queue.Count > 0 ? new XElement(Vim + "token", token) : null;
        var envelope = new XElement(VsphereXml.Soap + "Envelope", new XElement(VsphereXml.Soap + "Body",
            new XElement(Vim + response, new XElement(Vim + "returnval", more, page))));
        return new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StringContent(envelope.ToString(), Encoding.UTF8, "text/xml") };
    }
}
