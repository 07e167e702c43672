using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using PerfPlatform.BuildingBlocks.Inbox;
using PerfPlatform.BuildingBlocks.Outbox;
using PerfPlatform.BuildingBlocks.Persistence;

namespace PerfPlatform.Scoring.Infrastructure;

/// <summary>A year as Scoring knows it: the declared entity level and the versions it has reached.</summary>
public sealed class ScoredYear
{
    public int Year { get; set; }
    public decimal? DeclaredEntityLevel { get; set; }
    /// <summary>Bumped by every recalculation that moved a score. Replicas serialise per year on it, by the database (<see cref="ScoreVersionBase"/>).</summary>
    public long ScoreVersion { get; set; }
    /// <summary>
    /// The score version the last update of this row was made from: the database refuses an update whose base is not
    /// the row's score version (BuildingBlocks' VersionCheck). Set by <see cref="ScoringDbContext"/> on every save.
    /// </summary>
    public long? ScoreVersionBase { get; set; }
    /// <summary>The highest plan version applied.</summary>
    public long PlanVersion { get; set; }
}

public sealed class AreaRecord
{
    public int Year { get; set; }
    public int Number { get; set; }
    public required string Name { get; set; }
    public decimal? DeclaredMean { get; set; }
    public long Version { get; set; }
}

/// <summary>The latest state of one strategic objective's branch, as the last applied event carried it.</summary>
public sealed class BranchRecord
{
    public int Year { get; set; }
    public required string Code { get; set; }
    public int AreaNumber { get; set; }
    public required string Title { get; set; }
    public decimal? OwnValue { get; set; }
    public decimal? DeclaredValue { get; set; }
    /// <summary>The operational objectives as JSON: always read and written whole with their branch.</summary>
    public required string OperationalObjectivesJson { get; set; }
    public long Version { get; set; }
    /// <summary>A tombstone: removed at <see cref="Version"/>, so an older upsert arriving late stays ignored.</summary>
    public bool Removed { get; set; }
}

/// <summary>A year's workflow state as its events carried it, and its monitoring scorecard once frozen.</summary>
public sealed class YearPeriodRecord
{
    public int Year { get; set; }
    public string? State { get; set; }
    /// <summary>The plan version that carried <see cref="State"/>.</summary>
    public long StateVersion { get; set; }
    /// <summary>The scorecard as the year left monitoring (JSON of the domain snapshot); null until then.</summary>
    public string? MonitoringScorecardJson { get; set; }
    public long MonitoringScoreVersion { get; set; }
}

/// <summary>The Scoring service's own database.</summary>
public abstract class ScoringDbContext(DbContextOptions options) : DbContext(options), IOutboxDbContext, IInboxDbContext
{
    public DbSet<ScoredYear> Years => Set<ScoredYear>();
    public DbSet<AreaRecord> Areas => Set<AreaRecord>();
    public DbSet<BranchRecord> Branches => Set<BranchRecord>();
    public DbSet<YearPeriodRecord> YearPeriods => Set<YearPeriodRecord>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<InboxMessage> InboxMessages => Set<InboxMessage>();

    /// <summary>Every update of a year carries the score version it was read at: the database refuses it if the year moved on.</summary>
    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        VersionCheck.StampBases<ScoredYear>(ChangeTracker, nameof(ScoredYear.ScoreVersion), nameof(ScoredYear.ScoreVersionBase));
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        VersionCheck.StampBases<ScoredYear>(ChangeTracker, nameof(ScoredYear.ScoreVersion), nameof(ScoredYear.ScoreVersionBase));
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder conventions) =>
        conventions.Properties<decimal>().HavePrecision(18, 4);

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<ScoredYear>(e =>
        {
            e.ToTable("scored_years");
            e.HasKey(y => y.Year);
            e.Property(y => y.Year).ValueGeneratedNever();
            // Not an EF concurrency token: the check is the database's (ScoreVersionBase), so a save sent as one batch is safe.
        });
        model.Entity<AreaRecord>(e =>
        {
            e.ToTable("areas");
            e.HasKey(a => new { a.Year, a.Number });
        });
        model.Entity<BranchRecord>(e =>
        {
            e.ToTable("branches");
            e.HasKey(b => new { b.Year, b.Code });
            e.Property(b => b.Code).HasMaxLength(20);
        });
        model.Entity<YearPeriodRecord>(e =>
        {
            e.ToTable("year_periods");
            e.HasKey(p => p.Year);
            e.Property(p => p.Year).ValueGeneratedNever();
            e.Property(p => p.State).HasMaxLength(20);
        });
        model.AddOutbox();
        model.AddInbox();
    }
}

/// <summary>Carries the SQLite migrations.</summary>
public sealed class SqliteScoringDbContext(DbContextOptions<SqliteScoringDbContext> options) : ScoringDbContext(options);

/// <summary>Carries the PostgreSQL migrations.</summary>
public sealed class PostgresScoringDbContext(DbContextOptions<PostgresScoringDbContext> options) : ScoringDbContext(options);

internal sealed class SqliteScoringDesignFactory : IDesignTimeDbContextFactory<SqliteScoringDbContext>
{
    public SqliteScoringDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteScoringDbContext>().UseSqlite("Data Source=design.db").Options);
}

internal sealed class PostgresScoringDesignFactory : IDesignTimeDbContextFactory<PostgresScoringDbContext>
{
    public PostgresScoringDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresScoringDbContext>().UseNpgsql("Host=localhost;Database=design").Options);
}
