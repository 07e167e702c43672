using System.Globalization;

namespace PerfPlatform.Reporting.Domain;

/// <summary>Figures as the annex prints them: two decimals with a decimal comma; "/" for not assessed.</summary>
public static class Italian
{
    public static CultureInfo Culture { get; } = CultureInfo.GetCultureInfo("it-IT");

    /// <summary>"99,39"; null is "/" (not assessed).</summary>
    public static string Percent(decimal? value) =>
        value is { } v ? Round(v).ToString("0.00", Culture) : "/";

    /// <summary>A figure: "99,39", "/" (not assessed) or "" (none given).</summary>
    public static string Percent(Figure figure) =>
        figure.Value is { } v ? Percent(v) : figure.NotAssessed ? "/" : "";

    /// <summary>A difference with its sign: "-0,06", "+0,01".</summary>
    public static string SignedPercent(decimal value) =>
        Round(value).ToString("+0.00;-0.00;0,00", Culture);

    public static decimal Round(decimal value) => Math.Round(value, 2, MidpointRounding.AwayFromZero);

    public static string Date(DateTimeOffset at) => at.ToUniversalTime().ToString("dd/MM/yyyy HH:mm 'UTC'", Culture);

    public static string LevelName(FigureLevel level) => level switch
    {
        FigureLevel.StrategicObjective => "obiettivo strategico",
        FigureLevel.Area => "area strategica",
        FigureLevel.Entity => "livello di ente",
        FigureLevel.OperationalObjective => "obiettivo operativo",
        _ => "",
    };
}
