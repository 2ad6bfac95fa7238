using System.Globalization;

namespace Runner.Appliance.Features.Artifacts;

/// <summary>Sizes, rates and durations as the Artifacts page says them.</summary>
public static class ByteWords
{
    private static readonly string[] Units = ["B", "KB", "MB", "GB", "TB"];

    public static string Size(double bytes)
    {
        var unit = 0;
        while (bytes >= 1024 && unit < Units.Length - 1)
        {
            bytes /= 1024;
            unit++;
        }
        return string.Create(CultureInfo.InvariantCulture, $"{bytes:0.#} {Units[unit]}");
    }

    public static string Rate(double bytesPerSecond) => $"{Size(bytesPerSecond)}/s";

    public static string Duration(double seconds) => seconds switch
    {
        < 1 => "less than a second",
        < 60 => $"{seconds:0} s",
        < 3600 => $"{Math.Floor(seconds / 60):0} min {seconds % 60:0} s",
        _ => $"{Math.Floor(seconds / 3600):0} h {Math.Floor(seconds % 3600 / 60):0} min",
    };
}
