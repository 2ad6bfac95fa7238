using System.Reflection;

namespace Runner.Appliance;

/// <summary>What the appliance calls itself, shown in the app bar and reported by /healthz.</summary>
public static class AppInfo
{
    public const string Name = "Runner Appliance";

    public static string Version { get; } =
        typeof(AppInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";
}
