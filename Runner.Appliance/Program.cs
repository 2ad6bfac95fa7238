using Runner.Appliance.Features.Artifacts.Fetch;
using Runner.Appliance.Hosting;

// The build machine's verbs run without the web host: no store, no keys, no port.
if (ArtifactsCommand.Handles(args))
    return await ArtifactsCommand.RunAsync(args, Console.Out, Console.Error);

var builder = WebApplication.CreateBuilder(args);
builder.AddAppliance();

var app = builder.Build();
await app.MigrateStoreAsync();
app.UseAppliance();
app.MapAppliance();

await app.RunAsync();
return 0;

/// <summary>Entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
