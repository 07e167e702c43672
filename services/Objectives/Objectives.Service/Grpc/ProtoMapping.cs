using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using PerfPlatform.Objectives.Application;
using PerfPlatform.Objectives.Domain.Plan;
using PerfPlatform.Objectives.Infrastructure;
using V1 = PerfPlatform.Objectives.V1;

namespace PerfPlatform.Objectives.Grpc;

/// <summary>
/// Between the stored plan and the wire contract. No rules here: what comes in is read through the domain's value
/// types (<see cref="Realization"/>, <see cref="Weight"/>, <see cref="StrategicCode"/>, <see cref="PlanningYear"/>,
/// <see cref="PlanText"/>), and a refusal names the request's field.
/// </summary>
internal static class ProtoMapping
{
    public static V1.YearTree ToProto(this PlanYear y)
    {
        var tree = new V1.YearTree
        {
            EntityName = y.EntityName, MandateStartYear = y.MandateStartYear, MandateEndYear = y.MandateEndYear, Year = y.Year,
            Version = y.Version, DeclaredEntityLevel = y.DeclaredEntityLevel.ToProto(),
        };
        tree.Areas.AddRange(y.Areas.OrderBy(a => a.Number).Select(a => a.ToProto(y.Year)));
        return tree;
    }

    public static V1.Area ToProto(this Area a, int year)
    {
        var area = new V1.Area { Number = a.Number, Name = a.Name, Footnote = a.Footnote ?? "", DeclaredMean = a.DeclaredMean.ToProto() };
        area.StrategicObjectives.AddRange(a.StrategicObjectives.OrderBy(s => s.Position).Select(s => s.ToProto(year, a.Number)));
        return area;
    }

    public static V1.StrategicObjective ToProto(this StrategicObjective s, int year, int areaNumber)
    {
        var so = new V1.StrategicObjective
        {
            Code = s.Code, AreaNumber = areaNumber, Title = s.Title, Realization = s.Realization.ToProto(), Declared = s.Declared.ToProto(),
        };
        so.OperationalObjectives.AddRange(s.OperationalObjectives.OrderBy(o => o.Position).Select(o => o.ToProto(year, s.Code, areaNumber)));
        return so;
    }

    public static V1.OperationalObjective ToProto(this OperationalObjective o, int year, string strategicCode, int areaNumber)
    {
        var oo = new V1.OperationalObjective
        {
            Id = o.Id.ToString(), Year = year, StrategicObjectiveCode = strategicCode, AreaNumber = areaNumber, Title = o.Title,
            CrossCutting = o.CrossCutting, InterSectorNote = o.InterSectorNote ?? "", Weight = (double)o.Weight,
            Realization = o.Realization.ToProto(), Position = o.Position,
        };
        oo.BesDimensions.AddRange(System.Enum.GetValues<BesDimension>().Where(d => d != BesDimension.None && o.Bes.HasFlag(d)).Select(ToProto));
        oo.FundingReferences.AddRange(o.FundingReferences);
        oo.Sectors.AddRange(o.Sectors);
        oo.Indicators.AddRange(o.Indicators.Select(i => new V1.Indicator
        {
            Name = i.Name, Unit = i.Unit ?? "", Direction = (V1.IndicatorDirection)(int)i.Direction,
            Baseline = (double?)i.Baseline ?? 0, Target = (double?)i.Target ?? 0, Actual = (double?)i.Actual ?? 0,
        }.WithPresence(i)));
        return oo;
    }

    private static V1.Indicator WithPresence(this V1.Indicator p, Indicator i)
    {
        if (i.Baseline is null) p.ClearBaseline();
        if (i.Target is null) p.ClearTarget();
        if (i.Actual is null) p.ClearActual();
        return p;
    }

    public static V1.Realization? ToProto(this Realization? r) => r switch
    {
        null => null,
        { Value: { } v } => new V1.Realization { Value = (double)v },
        _ => new V1.Realization { NotAssessed = true },
    };

    public static V1.Realization ToProto(this Realization r) => ((Realization?)r).ToProto()!;

    /// <summary>
    /// Reads a wire percentage. A double within a rounding error of a two-decimal value is that value
    /// (98.03999999999999 is 98.04, see <see cref="Decimals"/>); 98.041 or a value outside 0-100 is refused naming the field.
    /// </summary>
    public static Realization FromProto(this V1.Realization? r, string field)
    {
        if (r is null || r.KindCase == V1.Realization.KindOneofCase.None)
            throw new InvalidPlanInputException(field, "give a value from 0 to 100, or not_assessed");
        if (r.KindCase == V1.Realization.KindOneofCase.NotAssessed)
            return r.NotAssessed ? Realization.NotAssessed : throw new InvalidPlanInputException(field, "not_assessed must be true when set");
        return Realization.TryFromDouble(r.Value, out var value, out var error) ? value : throw new InvalidPlanInputException(field, error!);
    }

    /// <summary>A plan year (year 0 is refused here by name, not in a date later).</summary>
    public static int YearFromProto(int year, string field) => PlanningYear.Require(year, field);

    /// <summary>An area's number, as strategic codes can name it (1-999).</summary>
    public static int AreaNumberFromProto(int number, string field) =>
        StrategicCode.CheckAreaNumber(number) is { } error ? throw new InvalidPlanInputException(field, error) : number;

    /// <summary>The date a value refers to, yyyy-MM-dd, in a plan year's range.</summary>
    public static DateOnly AsOfFromProto(string text, string field)
    {
        if (string.IsNullOrWhiteSpace(text))
            throw new InvalidPlanInputException(field, "give the date the value refers to (yyyy-MM-dd, e.g. 2023-12-31)");
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            throw new InvalidPlanInputException(field, $"\"{text}\" is not a date in the form yyyy-MM-dd");
        return PlanningYear.Check(date.Year) is { } error ? throw new InvalidPlanInputException(field, $"{text}: {error}") : date;
    }

    /// <summary>A strategic code as the plan keeps it ("8.1." is 8.1).</summary>
    public static string CodeFromProto(string code, string field) => StrategicCode.Parse(code, field).Value;

    /// <summary>A weight from a double: above 0, at most 1000, four decimals (within the same tolerance as a percentage).</summary>
    public static decimal WeightFromProto(double weight, string field) =>
        Weight.TryFromDouble(weight, out var w, out var error) ? w.Value : throw new InvalidPlanInputException(field, error!);

    public static string TextFromProto(string text, int max, string field) => PlanText.Required(text, max, field);

    public static string? OptionalTextFromProto(string text, int max, string field) => PlanText.Optional(text, max, field);

    public static IReadOnlyList<string> SectorsFromProto(IEnumerable<string> sectors, string field = "sectors") =>
        sectors.Select((s, i) => PlanText.Optional(s, PlanText.Sector, $"{field}[{i}]")).OfType<string>().ToList();

    public static IReadOnlyList<IndicatorInput> FromProto(IEnumerable<V1.Indicator> indicators, string field = "indicators") =>
        indicators.Select((i, n) => new IndicatorInput(
            PlanText.Required(i.Name, PlanText.IndicatorName, $"{field}[{n}].name"),
            i.HasBaseline ? Figure(i.Baseline, $"{field}[{n}].baseline") : null,
            i.HasTarget ? Figure(i.Target, $"{field}[{n}].target") : null,
            i.HasActual ? Figure(i.Actual, $"{field}[{n}].actual") : null,
            PlanText.Optional(i.Unit, PlanText.Unit, $"{field}[{n}].unit"),
            (IndicatorDirection)(int)i.Direction)).ToList();

    /// <summary>An indicator's figure: any finite number a decimal holds comfortably.</summary>
    private static decimal Figure(double value, string field) =>
        double.IsFinite(value) && Math.Abs(value) < 1e12 ? (decimal)value : throw new InvalidPlanInputException(field, $"{value} is not a usable number");

    public static V1.BesDimension ToProto(BesDimension d) => d switch
    {
        BesDimension.Istituzionale => V1.BesDimension.Istituzionale,
        BesDimension.Sociale => V1.BesDimension.Sociale,
        BesDimension.Economico => V1.BesDimension.Economico,
        BesDimension.Ambientale => V1.BesDimension.Ambientale,
        _ => V1.BesDimension.Unspecified,
    };

    public static BesDimension FromProto(V1.BesDimension d) => d switch
    {
        V1.BesDimension.Istituzionale => BesDimension.Istituzionale,
        V1.BesDimension.Sociale => BesDimension.Sociale,
        V1.BesDimension.Economico => BesDimension.Economico,
        V1.BesDimension.Ambientale => BesDimension.Ambientale,
        _ => BesDimension.None,
    };

    public static V1.RealizationEntry ToProto(this RealizationEntry e) => new()
    {
        Id = e.Id.ToString(), Realization = e.Realization.ToProto(), AsOf = e.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        Note = e.Note ?? "", RecordedAt = Timestamp.FromDateTimeOffset(e.RecordedAt), RecordedBy = e.RecordedBy, Source = e.Source, Version = e.Version,
    };
}
