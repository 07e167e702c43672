using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using PerfPlatform.Objectives.Domain.Plan;
using PerfPlatform.Objectives.Infrastructure;

namespace PerfPlatform.Objectives.Application;

/// <summary>Filters for the audit trail; unset members do not filter. <see cref="Objective"/> is a strategic code or an operational id.</summary>
public sealed record AuditFilter(int? Year = null, string? Objective = null, string? Actor = null, DateTimeOffset? From = null, DateTimeOffset? To = null);

public sealed record AuditPage(IReadOnlyList<AuditRecord> Records, string NextPageToken);

/// <summary>Reads of the audit trail. There is no write here, nor anywhere else but the year's writer, which only appends.</summary>
public sealed class AuditQueries(ObjectivesDbContext db)
{
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 1000;
    /// <summary>What one export holds at most, so a request cannot ask the service for an unbounded file.</summary>
    public const int MaxExportRecords = 100_000;

    /// <summary>In the order they were written; the page token is the last record's id.</summary>
    public async Task<AuditPage> ListAsync(AuditFilter filter, string? pageToken, int pageSize, CancellationToken ct)
    {
        if (pageSize < 0 || pageSize > MaxPageSize)
            throw new InvalidPlanInputException("page_size", $"{pageSize} is not a page size (1 to {MaxPageSize}; 0 for {DefaultPageSize})");
        var size = pageSize == 0 ? DefaultPageSize : pageSize;
        long after = 0;
        if (!string.IsNullOrEmpty(pageToken) && !long.TryParse(pageToken, NumberStyles.None, CultureInfo.InvariantCulture, out after))
            throw new InvalidPlanInputException("page_token", $"\"{pageToken}\" is not a page token from an earlier answer");
        var records = await Filtered(filter).Where(r => r.Id > after).OrderBy(r => r.Id).Take(size + 1).ToListAsync(ct);
        var more = records.Count > size;
        if (more) records.RemoveAt(size);
        return new AuditPage(records, more ? records[^1].Id.ToString(CultureInfo.InvariantCulture) : "");
    }

    /// <summary>
    /// The filtered trail as CSV for a spreadsheet: UTF-8 with BOM, semicolons, one header line; a cell starting
    /// with = + - @ (or a tab or carriage return) is prefixed with an apostrophe so no spreadsheet runs it as a formula.
    /// </summary>
    public async Task<byte[]> ExportCsvAsync(AuditFilter filter, CancellationToken ct)
    {
        var records = await Filtered(filter).OrderBy(r => r.Id).Take(MaxExportRecords + 1).ToListAsync(ct);
        if (records.Count > MaxExportRecords)
            throw new InvalidPlanInputException("filter", $"more than {MaxExportRecords} records match: narrow the year, objective, actor or time range");
        var csv = new StringBuilder();
        csv.Append(string.Join(';', Columns)).Append("\r\n");
        foreach (var r in records)
        {
            string?[] cells =
            [
                r.Id.ToString(CultureInfo.InvariantCulture), r.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                r.Actor, r.Year.ToString(CultureInfo.InvariantCulture), r.Version.ToString(CultureInfo.InvariantCulture), r.Change, r.EntityKind,
                r.EntityKey, r.ObjectiveCode, r.Field, r.OldValue, r.NewValue, r.Note, r.TraceId,
            ];
            csv.Append(string.Join(';', cells.Select(Cell))).Append("\r\n");
        }
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv.ToString())];
    }

    public static readonly IReadOnlyList<string> Columns =
        ["id", "at", "actor", "year", "version", "change", "entity_kind", "entity", "objective", "field", "old_value", "new_value", "note", "trace_id"];

    private static string Cell(string? value)
    {
        var s = value ?? "";
        if (s.Length > 0 && s[0] is '=' or '+' or '-' or '@' or '\t' or '\r') s = "'" + s;
        return s.IndexOfAny([';', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
    }

    private IQueryable<AuditRecord> Filtered(AuditFilter f)
    {
        var query = db.AuditRecords.AsNoTracking();
        if (f.Year is { } year) query = query.Where(r => r.Year == year);
        if (!string.IsNullOrWhiteSpace(f.Objective))
        {
            var key = f.Objective.Trim().TrimEnd('.');
            query = query.Where(r => r.ObjectiveCode == key || r.EntityKey == key);
        }
        if (!string.IsNullOrWhiteSpace(f.Actor))
        {
            var actor = f.Actor.Trim();
            query = query.Where(r => r.Actor == actor);
        }
        if (f.From is { } from) query = query.Where(r => r.At >= from);
        if (f.To is { } to) query = query.Where(r => r.At < to);
        return query;
    }
}
