using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using PerfPlatform.Objectives.Domain.Plan;
using PerfPlatform.Objectives.Infrastructure;
using V1 = PerfPlatform.Objectives.V1;

namespace PerfPlatform.Objectives.Grpc;

/// <summary>Between the stored plan and the wire contract; no rules here.</summary>
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

    /// <summary>Reads a wire percentage; a value with more than two decimals or outside 0-100 is refused naming the field.</summary>
    public static Realization FromProto(this V1.Realization? r, string field)
    {
        if (r is null || r.KindCase == V1.Realization.KindOneofCase.None)
            throw new InvalidPlanInputException(field, "give a value from 0 to 100, or not_assessed");
        if (r.KindCase == V1.Realization.KindOneofCase.NotAssessed)
            return r.NotAssessed ? Realization.NotAssessed : throw new InvalidPlanInputException(field, "not_assessed must be true when set");
        var text = r.Value.ToString("R", CultureInfo.InvariantCulture);
        return Realization.TryParse(text, out var value, out var error) ? value : throw new InvalidPlanInputException(field, error!);
    }

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
