using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Runner.Appliance.Data;

namespace Runner.Appliance.Tests.Infrastructure;

/// <summary>A real, migrated SQLite store in a temp file, for tests of services and components.</summary>
public sealed class TestStore : IDbContextFactory<ApplianceDb>, IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly DbContextOptions<ApplianceDb> _options;

    public TestStore()
    {
        _options = new DbContextOptionsBuilder<ApplianceDb>()
            .UseSqlite($"Data Source={Path.Combine(_directory.Path, "test.db")};Foreign Keys=True")
            .AddInterceptors(new SqlitePragmas())
            .Options;
        using var db = CreateDbContext();
        db.Database.Migrate();
    }

    public ApplianceDb CreateDbContext() => new(_options);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }
}
