using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Runner.Appliance.Features.Artifacts;

/// <summary>An artifact moved into the store, as the manifest of its import described it. Written only after its folder is in place.</summary>
public sealed class StoredArtifact
{
    public string Name { get; set; } = "";
    public ArtifactKind Kind { get; set; }
    public string Version { get; set; } = "";
    public string Sha256 { get; set; } = "";
    public long Size { get; set; }
    public int ImportId { get; set; }
    public DateTimeOffset StoredAt { get; set; }
}

/// <summary>Where a file row's file is: in the store (served), or staged by an import not yet done with its artifact.</summary>
public enum StoreArea { Store, Staging }

/// <summary>
/// One file of the store or of the staging area: the sha256 and size its manifest gives, and what hashing it
/// found, with the size and write time it had then. A file whose size and write time are still those is not hashed again.
/// </summary>
public sealed class ArtifactFile
{
    public int Id { get; set; }
    public StoreArea Area { get; set; }
    public string Artifact { get; set; } = "";

    /// <summary>As in the tree and under the store: "files/rke2-linux-amd64/rke2.linux-amd64.tar.gz".</summary>
    public string Path { get; set; } = "";
    public string ExpectedSha256 { get; set; } = "";
    public long ExpectedSize { get; set; }
    public string Sha256 { get; set; } = "";
    public long Size { get; set; }
    public long ModifiedTicks { get; set; }
    public DateTimeOffset VerifiedAt { get; set; }

    public bool Matches => Sha256 == ExpectedSha256 && Size == ExpectedSize;

    /// <summary>The file on disk is still the one that was hashed.</summary>
    public bool Unchanged(FileInfo file) => file.Exists && file.Length == Size && file.LastWriteTimeUtc.Ticks == ModifiedTicks;
}

public enum ImportKind { Import, Verify }

public enum ImportStatus { Running, Completed, Failed, Cancelled, Interrupted }

/// <summary>One import of a tree (or one "verify all again"): who, when, how far it got, and what it refused.</summary>
public sealed class ArtifactImport
{
    public int Id { get; set; }
    public ImportKind Kind { get; set; }
    public string Path { get; set; } = "";
    public string StartedBy { get; set; } = "";
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public ImportStatus Status { get; set; }
    public long BytesTotal { get; set; }
    public long BytesDone { get; set; }

    /// <summary>Bytes actually read from the tree and written; a resumed import skips what it verified before.</summary>
    public long BytesCopied { get; set; }
    public int FilesTotal { get; set; }
    public int FilesDone { get; set; }
    public string? Message { get; set; }
    public List<ArtifactRefusal> Refusals { get; set; } = [];
}

/// <summary>Why an import left a file or an artifact out.</summary>
public enum RefusalKind { Unlisted, UnknownArtifact, LockMismatch, Invalid, Missing, Corrupt }

public sealed class ArtifactRefusal
{
    public int Id { get; set; }
    public int ImportId { get; set; }
    public RefusalKind Kind { get; set; }
    public string? Artifact { get; set; }
    public string? Version { get; set; }
    public string? Path { get; set; }
    public string Message { get; set; } = "";
}

internal sealed class StoredArtifactConfiguration : IEntityTypeConfiguration<StoredArtifact>
{
    public void Configure(EntityTypeBuilder<StoredArtifact> builder)
    {
        builder.HasKey(a => a.Name);
        builder.Property(a => a.Name).HasMaxLength(128);
        builder.Property(a => a.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(a => a.Version).HasMaxLength(128);
        builder.Property(a => a.Sha256).HasMaxLength(64);
    }
}

internal sealed class ArtifactFileConfiguration : IEntityTypeConfiguration<ArtifactFile>
{
    public void Configure(EntityTypeBuilder<ArtifactFile> builder)
    {
        builder.Property(f => f.Area).HasConversion<string>().HasMaxLength(8);
        builder.Property(f => f.Artifact).HasMaxLength(128);
        builder.Property(f => f.Path).HasMaxLength(1024);
        builder.Property(f => f.ExpectedSha256).HasMaxLength(64);
        builder.Property(f => f.Sha256).HasMaxLength(64);
        builder.HasIndex(f => new { f.Area, f.Path }).IsUnique();
        builder.HasIndex(f => new { f.Area, f.Artifact });
    }
}

internal sealed class ArtifactImportConfiguration : IEntityTypeConfiguration<ArtifactImport>
{
    public void Configure(EntityTypeBuilder<ArtifactImport> builder)
    {
        builder.Property(i => i.Kind).HasConversion<string>().HasMaxLength(8);
        builder.Property(i => i.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(i => i.Path).HasMaxLength(4096);
        builder.Property(i => i.StartedBy).HasMaxLength(256);
        builder.HasMany(i => i.Refusals).WithOne().HasForeignKey(r => r.ImportId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ArtifactRefusalConfiguration : IEntityTypeConfiguration<ArtifactRefusal>
{
    public void Configure(EntityTypeBuilder<ArtifactRefusal> builder)
    {
        builder.Property(r => r.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.Artifact).HasMaxLength(128);
        builder.Property(r => r.Version).HasMaxLength(128);
        builder.Property(r => r.Path).HasMaxLength(1024);
        builder.HasIndex(r => r.Artifact);
    }
}
