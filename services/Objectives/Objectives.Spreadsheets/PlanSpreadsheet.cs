using System.Text;
using System.Text.RegularExpressions;
using Microsoft.VisualBasic.FileIO;
using MiniExcelLibs;
using MiniExcelLibs.Csv;
using PerfPlatform.Objectives.Domain.Import;
using PerfPlatform.Objectives.Domain.Plan;

namespace PerfPlatform.Objectives.Spreadsheets;

/// <summary>
/// A plan entered by hand, as CSV or XLSX in the canonical layout (docs/spreadsheet-layout.md).
/// Export then import gives back the same plan. An import returns the plan with its warnings, or throws a
/// <see cref="PlanImportException"/> listing every problem with its line: nothing of a faulty file is kept.
/// </summary>
public static partial class PlanSpreadsheet
{
    /// <summary>As Italian Excel writes and reads it: ';' between cells, decimal comma, UTF-8 with BOM.</summary>
    private static readonly CsvConfiguration ItalianCsv = new()
    {
        Seperator = ';',
        Culture = Layout.Italian,
        StreamWriterFunc = stream => new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true)),
    };

    /// <summary>Text cells that a spreadsheet would run as formulas are neutralised (<see cref="FormulaGuard"/>).</summary>
    public static byte[] ExportCsv(PlanDocument plan) => Export(FormulaGuard.Neutralise(PlanRows.Of(plan)), ExcelType.CSV, ItalianCsv);

    /// <summary>XLSX keeps text cells as text (never formulas), so they are written as they are.</summary>
    public static byte[] ExportXlsx(PlanDocument plan) => Export(PlanRows.Of(plan), ExcelType.XLSX, null);

    public static ImportOutcome ImportCsv(Stream csv)
    {
        List<ImportProblem> errors = [], warnings = [];
        var rows = CsvRows(Decode(ReadAll(csv), warnings), errors);
        return PlanReader.Read(rows, errors, warnings);
    }

    public static ImportOutcome ImportXlsx(Stream xlsx)
    {
        List<ImportProblem> errors = [], warnings = [];
        var rows = SheetRows(new MemoryStream(ReadAll(xlsx)), warnings);
        return PlanReader.Read(rows, errors, warnings);
    }

    private static byte[] Export(List<Dictionary<string, object?>> rows, ExcelType type, IConfiguration? configuration)
    {
        using var output = new MemoryStream();
        output.SaveAs(rows, sheetName: Layout.SheetName, excelType: type, configuration: configuration);
        return output.ToArray();
    }

    private static byte[] ReadAll(Stream input)
    {
        using var copy = new MemoryStream();
        input.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>
    /// UTF-8 as we write it; but Excel's plain "CSV" format saves Windows-1252, and reading that as UTF-8
    /// would garble every "à" and "è". So a file that is not valid UTF-8 is read as Windows-1252, with a warning.
    /// </summary>
    private static string Decode(byte[] bytes, List<ImportProblem> warnings)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes).TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException)
        {
            warnings.Add(new(0, "the file is not UTF-8 and was read as Windows-1252; save it as \"CSV UTF-8\" to be sure of accented letters"));
            return CodePagesEncodingProvider.Instance.GetEncoding(1252)!.GetString(bytes);
        }
    }

    /// <summary>
    /// The CSV's rows. MiniExcel writes CSV well but its reader cannot serve here: it also splits cells on tabs,
    /// rewrites line breaks inside quoted cells, and stops at the first row shorter than the header (Excel
    /// leaves trailing empty cells out). The framework's TextFieldParser reads CSV correctly.
    /// </summary>
    private static List<SheetRow> CsvRows(string text, List<ImportProblem> errors)
    {
        using var parser = new TextFieldParser(new StringReader(text))
        {
            TextFieldType = FieldType.Delimited,
            HasFieldsEnclosedInQuotes = true,
            TrimWhiteSpace = false,
        };
        parser.SetDelimiters(";");
        var rows = new List<SheetRow>();
        while (!parser.EndOfData)
        {
            try
            {
                var cells = parser.ReadFields() ?? [];
                var line = FirstLineOf(cells, parser.LineNumber, text);
                rows.Add(new SheetRow(line, cells.Select(FormulaGuard.Restore).ToArray()));
            }
            catch (MalformedLineException e)
            {
                errors.Add(new((int)e.LineNumber, "the quotes do not pair up: a quoted cell ends with \" just before ';' or the end of the line"));
            }
        }
        return rows;
    }

    /// <summary>
    /// The line a record starts on. TextFieldParser skips blank lines and tells only the line after the record
    /// (-1 at the end of the text); the record began as many lines earlier as its quoted cells hold line breaks.
    /// </summary>
    private static int FirstLineOf(string[] cells, long nextLine, string text)
    {
        var lastLine = nextLine > 0 ? nextLine - 1 : LineBreak().Count(text) + (LineBreak().IsMatch(text[^1..]) ? 0 : 1);
        return (int)lastLine - cells.Sum(cell => LineBreak().Count(cell));
    }

    [GeneratedRegex(@"\r\n|\r|\n")]
    private static partial Regex LineBreak();

    /// <summary>The rows of the sheet "piano" (else the first sheet); MiniExcel yields every row from row 1, empty ones too.</summary>
    private static IEnumerable<SheetRow> SheetRows(MemoryStream workbook, List<ImportProblem> warnings)
    {
        try
        {
            var sheets = workbook.GetSheetNames();
            var sheet = sheets.FirstOrDefault(s => s.Equals(Layout.SheetName, StringComparison.OrdinalIgnoreCase));
            if (sheet is null && sheets.Count > 0)
            {
                sheet = sheets[0];
                warnings.Add(new(0, $"there is no sheet \"{Layout.SheetName}\": the first sheet, \"{sheet}\", was read"));
            }
            return workbook.Query(useHeaderRow: false, sheetName: sheet, excelType: ExcelType.XLSX)
                .Select((row, index) => new SheetRow(index + 1, ((IDictionary<string, object?>)row).Values.ToList()))
                .ToList();
        }
        catch (InvalidDataException)
        {
            throw new PlanImportException([new(0, "the file is not an XLSX workbook")]);
        }
    }
}
