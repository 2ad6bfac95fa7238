using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Runner.Appliance.Data;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the app.</summary>
public sealed class DesignTimeDbFactory : IDesignTimeDbContextFactory<ApplianceDb>
{
    public ApplianceDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<ApplianceDb>().UseSqlite("Data Source=design-time.db").Options);
}
