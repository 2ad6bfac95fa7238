using Runner.Appliance.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddAppliance();

var app = builder.Build();
await app.MigrateStoreAsync();
app.UseAppliance();
app.MapAppliance();

await app.RunAsync();

/// <summary>Entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
