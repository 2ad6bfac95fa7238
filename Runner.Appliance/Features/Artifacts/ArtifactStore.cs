using System.Runtime.InteropServices;
using Runner.Appliance.Hosting;

namespace Runner.Appliance.Features.Artifacts;

/// <summary>
/// The store's directories under <c>&lt;data&gt;/artifacts/</c>: <c>store/</c> holds what is served,
/// <c>staging/</c> what an import has verified of an artifact it has not finished, <c>trash/</c> the
/// copies an import replaced. All three on one filesystem, so that moving an artifact is one rename.
/// </summary>
public sealed class ArtifactStore
{
    public ArtifactStore(DataDirectory data)
    {
        Root = data.ArtifactsPath;
        foreach (var directory in new[] { StorePath, StagingPath, TrashPath })
            Directory.CreateDirectory(directory);
    }

    public string Root { get; }

    public string StorePath => Path.Combine(Root, "store");

    public string StagingPath => Path.Combine(Root, "staging");

    public string TrashPath => Path.Combine(Root, "trash");

    public string In(StoreArea area, string relative) =>
        Path.Combine(area == StoreArea.Store ? StorePath : StagingPath, relative.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>
    /// A path of a tree or of the store that stays inside it: relative, '/'-separated, with no empty,
    /// "." or ".." segment, no backslash and no control character.
    /// </summary>
    public static bool IsSafe(string relative) =>
        relative.Length is > 0 and <= 1024 && !relative.StartsWith('/') && !relative.Contains('\\', StringComparison.Ordinal)
        && !relative.Any(char.IsControl) && relative.Split('/').All(s => s is not ("" or "." or ".."));

    /// <summary>Makes <paramref name="target"/> a second name of <paramref name="source"/> (no byte copied); false where the filesystem cannot.</summary>
    public static bool TryHardLink(string source, string target) => OperatingSystem.IsLinux() && Link(source, target) == 0;

    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Link([MarshalAs(UnmanagedType.LPUTF8Str)] string source, [MarshalAs(UnmanagedType.LPUTF8Str)] string target);
}

/// <summary>One entry of an artifact tree as the import found it.</summary>
internal sealed record TreeEntry(string Path, long Length, bool Regular);

internal static class ArtifactTree
{
    /// <summary>
    /// Every file below <paramref name="root"/> as a '/'-separated relative path, without following a
    /// symbolic link: a link (to a file or a directory) is an entry that is not regular, so that it is refused by name.
    /// </summary>
    public static List<TreeEntry> Walk(string root, CancellationToken ct)
    {
        var entries = new List<TreeEntry>();
        var pending = new Stack<DirectoryInfo>([new DirectoryInfo(root)]);
        while (pending.TryPop(out var directory))
        {
            ct.ThrowIfCancellationRequested();
            foreach (var entry in directory.EnumerateFileSystemInfos())
            {
                var relative = Path.GetRelativePath(root, entry.FullName).Replace(Path.DirectorySeparatorChar, '/');
                if (entry.LinkTarget is not null)
                    entries.Add(new TreeEntry(relative, 0, Regular: false));
                else if (entry is DirectoryInfo sub)
                    pending.Push(sub);
                else if (entry is FileInfo file)
                    entries.Add(new TreeEntry(relative, file.Length, Regular: !file.Attributes.HasFlag(FileAttributes.Device)));
            }
        }
        return entries;
    }
}
