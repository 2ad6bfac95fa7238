using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Runner.Appliance.Features.Artifacts;

/// <summary><c>ansible/roles/&lt;role&gt;/meta/artifacts.yml</c>: the artifacts a role installs, by name (<c>artifacts: [rke2-linux-amd64]</c>).</summary>
public sealed class RoleArtifacts
{
    public const string RelativePath = "meta/artifacts.yml";

    private static readonly IDeserializer Yaml = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build();

    public List<string> Artifacts { get; set; } = [];

    /// <summary>The names a role declares; none when it has no declaration. Throws <see cref="InvalidDataException"/> on a file that does not read.</summary>
    public static IReadOnlyList<string> Read(string roleDirectory)
    {
        var path = Path.Combine(roleDirectory, RelativePath);
        if (!File.Exists(path))
            return [];
        try
        {
            using var reader = File.OpenText(path);
            return (Yaml.Deserialize<RoleArtifacts>(reader) ?? new RoleArtifacts()).Artifacts;
        }
        catch (YamlException e)
        {
            throw new InvalidDataException($"{path}: not a valid artifact declaration at line {e.Start.Line} (expected 'artifacts: [name, …]'): {e.InnerException?.Message ?? e.Message}", e);
        }
    }
}
