using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using PerfPlatform.BuildingBlocks.Outbox;
using PerfPlatform.BuildingBlocks.Persistence;
using PerfPlatform.Objectives.Domain.Plan;

namespace PerfPlatform.Objectives.Infrastructure;

/// <summary>The Objectives service's own database.</summary>
public abstract class ObjectivesDbContext(DbContextOptions options) : DbContext(options), IOutboxDbContext
{
    public DbSet<PlanYear> PlanYears => Set<PlanYear>();
    public DbSet<Area> Areas => Set<Area>();
    public DbSet<StrategicObjective> StrategicObjectives => Set<StrategicObjective>();
    public DbSet<OperationalObjective> OperationalObjectives => Set<OperationalObjective>();
    public DbSet<RealizationEntry> RealizationEntries => Set<RealizationEntry>();
    public DbSet<AuditRecord> AuditRecords => Set<AuditRecord>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    /// <summary>Every update of a year carries the version it was read at: the database refuses it if the year moved on.</summary>
    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        VersionCheck.StampBases<PlanYear>(ChangeTracker, nameof(PlanYear.Version), nameof(PlanYear.VersionBase));
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        VersionCheck.StampBases<PlanYear>(ChangeTracker, nameof(PlanYear.Version), nameof(PlanYear.VersionBase));
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder conventions)
    {
        // "/" for not assessed, an invariant number otherwise: one readable text column per figure.
        conventions.Properties<Realization>().HaveConversion<RealizationConverter>().HaveMaxLength(8);
        conventions.Properties<Realization?>().HaveConversion<NullableRealizationConverter>().HaveMaxLength(8);
        conventions.Properties<decimal>().HavePrecision(18, 4);
    }

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<PlanYear>(e =>
        {
            e.ToTable("plan_years");
            // One current copy per year; archived copies (a replaced import) stay beside it.
            e.HasIndex(y => y.Year).IsUnique().HasFilter("\"ArchivedAt\" IS NULL");
            // Not an EF concurrency token: the check is the database's (VersionBase), so a save sent as one batch is safe.
            e.Property(y => y.State).HasConversion<string>().HasMaxLength(20);
            e.Property(y => y.ArchivedBy).HasMaxLength(200);
            e.Property(y => y.EntityName).HasMaxLength(300);
            e.HasMany(y => y.Areas).WithOne().HasForeignKey(a => a.PlanYearId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<Area>(e =>
        {
            e.ToTable("areas");
            e.HasIndex(a => new { a.PlanYearId, a.Number }).IsUnique();
            e.HasMany(a => a.StrategicObjectives).WithOne(s => s.Area).HasForeignKey(s => s.AreaId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<StrategicObjective>(e =>
        {
            e.ToTable("strategic_objectives");
            e.HasIndex(s => new { s.PlanYearId, s.Code }).IsUnique();
            e.Property(s => s.Code).HasMaxLength(20);
            e.HasMany(s => s.OperationalObjectives).WithOne(o => o.StrategicObjective).HasForeignKey(o => o.StrategicObjectiveId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<OperationalObjective>(e =>
        {
            e.ToTable("operational_objectives");
            e.HasIndex(o => o.PlanYearId);
            e.OwnsMany(o => o.Indicators, i => i.ToJson());
        });
        model.Entity<RealizationEntry>(e =>
        {
            e.ToTable("realization_entries");
            e.HasIndex(r => r.OperationalObjectiveId);
            e.HasIndex(r => r.StrategicObjectiveId);
            e.HasIndex(r => r.PlanYearId);
            e.Property(r => r.Period).HasConversion<string>().HasMaxLength(20);
        });
        model.Entity<AuditRecord>(e =>
        {
            e.ToTable("audit_records");
            e.HasIndex(r => new { r.Year, r.Id });
            e.HasIndex(r => r.ObjectiveCode);
            e.Property(r => r.Actor).HasMaxLength(200);
            e.Property(r => r.ActorSubject).HasMaxLength(200);
            e.Property(r => r.Change).HasMaxLength(40);
            e.Property(r => r.EntityKind).HasMaxLength(40);
            e.Property(r => r.EntityKey).HasMaxLength(60);
            e.Property(r => r.ObjectiveCode).HasMaxLength(20);
            e.Property(r => r.Field).HasMaxLength(60);
            e.Property(r => r.TraceId).HasMaxLength(32);
            // SQLite keeps a DateTimeOffset as text and cannot compare it: there the time is a sortable number (all UTC).
            if (Database.ProviderName?.EndsWith(".Sqlite", StringComparison.Ordinal) == true) e.Property(r => r.At).HasConversion(new DateTimeOffsetToBinaryConverter());
        });
        model.AddOutbox();
    }

    private sealed class RealizationConverter() : ValueConverter<Realization, string>(
        r => Write(r), s => Read(s));

    private sealed class NullableRealizationConverter() : ValueConverter<Realization?, string?>(
        r => r.HasValue ? Write(r.Value) : null, s => s == null ? null : Read(s));

    private static string Write(Realization r) =>
        r.Value is { } v ? v.ToString(CultureInfo.InvariantCulture) : "/";

    private static Realization Read(string s) =>
        s == "/" ? Realization.NotAssessed : Realization.Of(decimal.Parse(s, CultureInfo.InvariantCulture));
}

public static class PlanYearQueries
{
    /// <summary>The year's current copy, not the archived ones a replace import left.</summary>
    public static IQueryable<PlanYear> Current(this IQueryable<PlanYear> years) => years.Where(y => y.ArchivedAt == null);
}

/// <summary>Carries the SQLite migrations.</summary>
public sealed class SqliteObjectivesDbContext(DbContextOptions<SqliteObjectivesDbContext> options) : ObjectivesDbContext(options);

/// <summary>Carries the PostgreSQL migrations.</summary>
public sealed class PostgresObjectivesDbContext(DbContextOptions<PostgresObjectivesDbContext> options) : ObjectivesDbContext(options);

// Design-time factories, used only by `dotnet ef migrations add`.
internal sealed class SqliteObjectivesDesignFactory : IDesignTimeDbContextFactory<SqliteObjectivesDbContext>
{
    public SqliteObjectivesDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteObjectivesDbContext>().UseSqlite("Data Source=design.db").Options);
}

internal sealed class PostgresObjectivesDesignFactory : IDesignTimeDbContextFactory<PostgresObjectivesDbContext>
{
    public PostgresObjectivesDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresObjectivesDbContext>().UseNpgsql("Host=localhost;Database=design").Options);
}
