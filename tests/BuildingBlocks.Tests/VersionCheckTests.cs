using Microsoft.EntityFrameworkCore;
using PerfPlatform.BuildingBlocks.Persistence;
using Xunit;

namespace PerfPlatform.BuildingBlocks.Tests;

/// <summary>
/// BuildingBlocks' VersionCheck on real databases: the year row's version checked by a trigger, through EF's SaveChanges
/// (RowBatchTests checks it through a RowBatch, sent as one batch without BEGIN/COMMIT).
/// </summary>
public sealed class VersionCheckTests
{
    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task A_writer_that_read_an_older_version_is_refused_and_nothing_of_its_save_is_kept(Provider provider)
    {
        await using var database = await CreateDatabaseAsync(provider);
        await using (var seed = database.NewContext())
        {
            seed.Years.Add(new VersionedYear { Year = 2023, Version = 1 });
            await seed.SaveChangesAsync();
        }

        await using var first = database.NewContext();
        await using var stale = database.NewContext();
        var mine = await first.Years.SingleAsync();
        var theirs = await stale.Years.SingleAsync(); // both read version 1

        mine.Version = 2;
        first.Widgets.Add(new Widget { Name = "first" });
        await first.SaveChangesAsync();

        theirs.Version = 2;
        stale.Widgets.Add(new Widget { Name = "stale" });
        var refused = await Assert.ThrowsAnyAsync<DbUpdateException>(() => stale.SaveChangesAsync());
        Assert.True(VersionCheck.IsConflict(refused), refused.ToString());

        await using var check = database.NewContext();
        Assert.Equal(["first"], await check.Widgets.Select(w => w.Name).ToListAsync());
        var year = await check.Years.SingleAsync();
        Assert.Equal(2, year.Version);
        Assert.Equal(1, year.VersionBase);
    }

    public sealed class VersionedYear
    {
        public int Year { get; set; }
        public long Version { get; set; }
        public long? VersionBase { get; set; }
    }

    public sealed class VersionedDbContext(DbContextOptions<VersionedDbContext> options) : DbContext(options)
    {
        public DbSet<VersionedYear> Years => Set<VersionedYear>();
        public DbSet<Widget> Widgets => Set<Widget>();

        protected override void OnModelCreating(ModelBuilder model)
        {
            model.Entity<VersionedYear>(e =>
            {
                e.ToTable("versioned_years");
                e.HasKey(y => y.Year);
                e.Property(y => y.Year).ValueGeneratedNever();
            });
            model.Entity<Widget>(e =>
            {
                e.ToTable("widgets");
                e.HasIndex(w => w.Name).IsUnique();
            });
        }

        public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
        {
            VersionCheck.StampBases<VersionedYear>(ChangeTracker, nameof(VersionedYear.Version), nameof(VersionedYear.VersionBase));
            return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
    }

    private static Task<VersionedModelDatabase<VersionedDbContext>> CreateDatabaseAsync(Provider provider) =>
        VersionedModelDatabase<VersionedDbContext>.CreateAsync(provider, "bb_version", "versioned_years", o => new VersionedDbContext(o));
}
