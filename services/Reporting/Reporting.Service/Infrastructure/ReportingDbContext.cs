using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using PerfPlatform.BuildingBlocks.Inbox;

namespace PerfPlatform.Reporting.Infrastructure;

/// <summary>
/// A year as Reporting holds it: the plan at <see cref="PlanVersion"/> and the scores at <see cref="ScoreVersion"/>,
/// each stored whole as JSON (a report always reads the whole year). Both versions are concurrency tokens, so two
/// writers of one year serialise and an older state never replaces a newer one.
/// </summary>
public sealed class ReportYear
{
    public int Year { get; set; }
    public long PlanVersion { get; set; }
    public required string PlanJson { get; set; }
    /// <summary>0: not scored yet.</summary>
    public long ScoreVersion { get; set; }
    public string? ScoresJson { get; set; }
    /// <summary>When either part last changed: the reports' "generated at" and the open data's "modified".</summary>
    public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>The year's workflow state ("planning" ... "published"; null: not known yet): anonymous callers read published years only.</summary>
    public string? State { get; set; }
    /// <summary>The plan version that carried <see cref="State"/>.</summary>
    public long StateVersion { get; set; }
}

/// <summary>The Reporting service's own database.</summary>
public abstract class ReportingDbContext(DbContextOptions options) : DbContext(options), IInboxDbContext
{
    public DbSet<ReportYear> Years => Set<ReportYear>();
    public DbSet<InboxMessage> InboxMessages => Set<InboxMessage>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<ReportYear>(e =>
        {
            e.ToTable("report_years");
            e.HasKey(y => y.Year);
            e.Property(y => y.Year).ValueGeneratedNever();
            e.Property(y => y.PlanVersion).IsConcurrencyToken();
            e.Property(y => y.ScoreVersion).IsConcurrencyToken();
            e.Property(y => y.State).HasMaxLength(20);
        });
        model.AddInbox();
    }
}

/// <summary>Carries the SQLite migrations.</summary>
public sealed class SqliteReportingDbContext(DbContextOptions<SqliteReportingDbContext> options) : ReportingDbContext(options);

/// <summary>Carries the PostgreSQL migrations.</summary>
public sealed class PostgresReportingDbContext(DbContextOptions<PostgresReportingDbContext> options) : ReportingDbContext(options);

internal sealed class SqliteReportingDesignFactory : IDesignTimeDbContextFactory<SqliteReportingDbContext>
{
    public SqliteReportingDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteReportingDbContext>().UseSqlite("Data Source=design.db").Options);
}

internal sealed class PostgresReportingDesignFactory : IDesignTimeDbContextFactory<PostgresReportingDbContext>
{
    public PostgresReportingDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresReportingDbContext>().UseNpgsql("Host=localhost;Database=design").Options);
}
