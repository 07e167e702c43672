using PerfPlatform.Objectives.Domain.Plan;
using static PerfPlatform.Objectives.Spreadsheets.Layout;

namespace PerfPlatform.Objectives.Spreadsheets;

/// <summary>
/// A plan as the rows of the layout, parents before children. Figures stay decimals, so that XLSX stores
/// them as numbers and CSV writes them in the Italian culture ("96,67").
/// </summary>
internal static class PlanRows
{
    public static List<Dictionary<string, object?>> Of(PlanDocument plan)
    {
        var rows = new List<Dictionary<string, object?>>
        {
            Row(TipoEnte, (Titolo, plan.EntityName), (Anno, plan.Year),
                (Mandato, $"{plan.MandateStartYear}-{plan.MandateEndYear}"), (Dichiarato, Figure(plan.DeclaredEntityLevel))),
        };
        foreach (var area in plan.Areas)
        {
            rows.Add(Row(TipoArea, (Area, area.Number), (Titolo, area.Name), (Nota, area.Footnote), (Dichiarato, Figure(area.DeclaredMean))));
            foreach (var strategic in area.StrategicObjectives)
            {
                rows.Add(Row(TipoOS, (Area, area.Number), (Codice, strategic.Code), (Titolo, strategic.Title),
                    (Valore, Figure(strategic.CurrentRealization)), (Dichiarato, Figure(strategic.DeclaredRealization))));
                foreach (var operational in strategic.OperationalObjectives)
                {
                    rows.Add(Row(TipoOO, (Codice, strategic.Code), (Titolo, operational.Title), (Peso, operational.Weight),
                        (Valore, Figure(operational.Realization)),
                        (Settori, operational.Sectors.Count == 0 ? null : string.Join(SectorSeparator, operational.Sectors))));
                    foreach (var indicator in operational.Indicators)
                        rows.Add(Row(TipoIND, (Titolo, indicator.Name), (Baseline, indicator.Baseline), (Target, indicator.Target),
                            (Effettivo, indicator.Actual), (Unita, indicator.Unit), (Direzione, DirectionWords[indicator.Direction])));
                }
            }
        }
        return rows;
    }

    /// <summary>Empty when none is given, "/" when not assessed, the number otherwise.</summary>
    private static object? Figure(Realization? realization) => realization switch
    {
        null => null,
        { Value: { } value } => value,
        _ => NotAssessed,
    };

    /// <summary>Every row carries every column, in layout order: MiniExcel takes the columns from the first row.</summary>
    private static Dictionary<string, object?> Row(string tipo, params (string Column, object? Value)[] cells)
    {
        var row = Columns.ToDictionary(column => column, _ => (object?)null);
        row[Tipo] = tipo;
        foreach (var (column, value) in cells)
            row[column] = value;
        return row;
    }
}
