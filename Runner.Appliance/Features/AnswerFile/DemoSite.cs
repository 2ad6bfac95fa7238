using Runner.Appliance.Validation;

namespace Runner.Appliance.Features.AnswerFile;

/// <summary>
/// The example site a newcomer loads on an empty appliance (docs/examples/demo-site.json, shipped in the
/// binary): three zones, a vCenter, services, security, flows and its architecture, every address on
/// loopback, so that a preflight of it only ever talks to this machine. It goes through the same import
/// as any answer file; its secrets are left to be typed (the Review step lists them).
/// </summary>
public sealed class DemoSite(AnswerFileImporter importer, ConfigurationCopies copies)
{
    public const string ResourceName = "demo-site.json";

    /// <summary>Whether the demo may be loaded now: only while the configuration is empty.</summary>
    public async Task<bool> AvailableAsync(CancellationToken ct = default) => ConfigurationCopies.IsEmpty((await copies.CollectAsync(ct)).Document);

    public async Task<Outcome> LoadAsync(string actor, CancellationToken ct = default)
    {
        if (!await AvailableAsync(ct))
            return Outcome.Conflict("The demo site loads only on an empty appliance; this one already has a configuration (import an empty answer file first to start over).");
        return await importer.ImportAsync(await DocumentAsync(ct), null, actor, ct: ct);
    }

    public static async Task<string> DocumentAsync(CancellationToken ct = default)
    {
        await using var stream = typeof(DemoSite).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The demo site ({ResourceName}) is missing from the build.");
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync(ct);
    }
}
