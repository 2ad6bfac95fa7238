using MudBlazor;

namespace Runner.Appliance.Components.Layout;

/// <summary>A sober theme for long sessions in a datacenter: Roboto (served locally), calm blues.</summary>
public static class ApplianceTheme
{
    public static MudTheme Create() => new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1f5fa8",
            Secondary = "#00897b",
            AppbarBackground = "#16324f",
            DrawerBackground = "#f7f9fc",
            Background = "#f4f6f9",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#6ea8fe",
            Secondary = "#4db6ac",
            AppbarBackground = "#101c2b",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = ["Roboto", "Helvetica", "Arial", "sans-serif"] },
        },
    };
}
