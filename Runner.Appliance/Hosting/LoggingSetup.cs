using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace Runner.Appliance.Hosting;

internal static class LoggingSetup
{
    /// <summary>
    /// Human-readable console for the technician, structured JSON lines in a daily rolling file
    /// under the data directory for support. Log templates never carry secret values; request
    /// bodies and SQL parameters are never logged.
    /// </summary>
    public static void AddApplianceLogging(this WebApplicationBuilder builder, DataDirectory data)
    {
        builder.Services.AddSerilog((services, log) => log
            .ReadFrom.Configuration(builder.Configuration)
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.EntityFrameworkCore", LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}")
            .WriteTo.File(new CompactJsonFormatter(), Path.Combine(data.LogsPath, "appliance-.log"),
                rollingInterval: RollingInterval.Day, retainedFileCountLimit: 14,
                fileSizeLimitBytes: 50 * 1024 * 1024, rollOnFileSizeLimit: true, shared: false),
            // Each host owns its logger; the static Log.Logger would mix the logs of two hosts in one process.
            preserveStaticLogger: true);
    }
}
