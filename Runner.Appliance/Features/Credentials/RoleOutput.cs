using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Runner.Appliance.Features.Credentials;

/// <summary>
/// One result a role published (set_stats <c>runner_outputs</c>), as JSON: in <see cref="Value"/> when the
/// catalog declares it not secret, otherwise only in <see cref="Ciphertext"/> (the secret protector). The
/// latest run of the role replaces it.
/// </summary>
public sealed class RoleOutput
{
    public required string Role { get; set; }

    public required string Key { get; set; }

    public bool Secret { get; set; }

    public string? Value { get; set; }

    public string? Ciphertext { get; set; }

    public int RunId { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class RoleOutputConfiguration : IEntityTypeConfiguration<RoleOutput>
{
    public void Configure(EntityTypeBuilder<RoleOutput> builder)
    {
        builder.HasKey(o => new { o.Role, o.Key });
        builder.Property(o => o.Role).HasMaxLength(100);
        builder.Property(o => o.Key).HasMaxLength(100);
    }
}
