using System.Globalization;
using System.Xml.Linq;

namespace Runner.Appliance.Integrations.Vsphere;

/// <summary>A managed object reference ("Datacenter" "datacenter-2") as vSphere writes it: a type attribute and a value.</summary>
public sealed record MoRef(string Type, string Value)
{
    public XElement ToXml(string element) => new(VsphereXml.Vim + element, new XAttribute("type", Type), Value);

    public static MoRef? From(XElement? element) =>
        element?.Attribute("type") is { } type ? new MoRef(type.Value, element.Value) : null;

    public override string ToString() => $"{Type}:{Value}";
}

/// <summary>One object read by the property collector: its reference and the requested properties that are set.</summary>
public sealed record ObjectContent(MoRef Obj, IReadOnlyDictionary<string, XElement> Properties)
{
    public string? String(string path) => Properties.GetValueOrDefault(path)?.Value;

    public MoRef? Ref(string path) => MoRef.From(Properties.GetValueOrDefault(path));

    public bool? Bool(string path) => Properties.GetValueOrDefault(path) is { } value ? value.Value == "true" : null;

    /// <summary>A number inside a data object property ("summary", "freeSpace"); null when absent.</summary>
    public long? Long(string path, string field) => VsphereXml.Long(Properties.GetValueOrDefault(path)?.Element(VsphereXml.Vim + field));

    /// <summary>The strings of an ArrayOfString property (a folder's childType).</summary>
    public IReadOnlyList<string> Strings(string path) =>
        [.. Properties.GetValueOrDefault(path)?.Elements().Select(e => e.Value) ?? []];
}

/// <summary>The SOAP 1.1 envelope of the vSphere API (namespace urn:vim25), built and read by hand.</summary>
public static class VsphereXml
{
    public static readonly XNamespace Vim = "urn:vim25";
    public static readonly XNamespace Soap = "http://schemas.xmlsoap.org/soap/envelope/";
    public static readonly XNamespace Xsi = "http://www.w3.org/2001/XMLSchema-instance";

    public static XDocument Envelope(string method, MoRef target, IEnumerable<object> arguments) =>
        new(new XDeclaration("1.0", "utf-8", null),
            new XElement(Soap + "Envelope",
                new XAttribute(XNamespace.Xmlns + "soapenv", Soap.NamespaceName),
                new XAttribute(XNamespace.Xmlns + "xsi", Xsi.NamespaceName),
                new XElement(Soap + "Body",
                    new XElement(Vim + method, new XAttribute("xmlns", Vim.NamespaceName), target.ToXml("_this"), arguments))));

    /// <summary>A polymorphic data object element: vSphere needs xsi:type where the schema names a base type.</summary>
    public static XElement Typed(string element, string type, params object[] content) =>
        new(Vim + element, new XAttribute(Xsi + "type", type), content);

    public static XElement Element(string name, object? content) => new(Vim + name, content);

    public static long? Long(XElement? element) =>
        element is not null && long.TryParse(element.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>Reads the objects of a RetrieveResult (the returnval of RetrievePropertiesEx or its continuation).</summary>
    public static IEnumerable<ObjectContent> Objects(XElement? result) =>
        result?.Elements(Vim + "objects").Select(o => new ObjectContent(
            MoRef.From(o.Element(Vim + "obj"))!,
            o.Elements(Vim + "propSet").ToDictionary(p => p.Element(Vim + "name")!.Value, p => p.Element(Vim + "val")!))) ?? [];
}
