using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using PerfPlatform.BuildingBlocks.Inbox;
using PerfPlatform.BuildingBlocks.Outbox;

namespace PerfPlatform.BuildingBlocks.Tests.Events
{
    /// <summary>The event the outbox tests store and publish. <paramref name="RunId"/> tells one test's events from another's on the shared exchange.</summary>
    public sealed record WidgetCreated(Guid RunId, int Sequence, string Name);

    /// <summary>The event the inbox tests deliver to consumers.</summary>
    public sealed record WidgetEffectRequested(Guid RunId, string Name);
}

namespace PerfPlatform.BuildingBlocks.Tests
{
    /// <summary>The business change that goes in the same transaction as its event. Names are unique, so a save can be made to fail.</summary>
    public sealed class Widget
    {
        public long Id { get; set; }
        public required string Name { get; set; }
    }

    /// <summary>What a consumer does when it applies a message: one row per application.</summary>
    public sealed class Effect
    {
        public long Id { get; set; }
        public Guid MessageId { get; set; }
        public required string Consumer { get; set; }
    }

    /// <summary>A tiny service database: widgets and effects, plus the outbox and the inbox of BuildingBlocks.</summary>
    public abstract class OutboxTestDbContext(DbContextOptions options) : DbContext(options), IOutboxDbContext, IInboxDbContext
    {
        public DbSet<Widget> Widgets => Set<Widget>();
        public DbSet<Effect> Effects => Set<Effect>();
        public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
        public DbSet<InboxMessage> InboxMessages => Set<InboxMessage>();

        protected override void OnModelCreating(ModelBuilder model)
        {
            model.Entity<Widget>(e =>
            {
                e.ToTable("widgets");
                e.HasIndex(w => w.Name).IsUnique();
                e.Property(w => w.Name).HasMaxLength(100);
            });
            model.Entity<Effect>(e =>
            {
                e.ToTable("effects");
                e.Property(x => x.Consumer).HasMaxLength(200);
            });
            model.AddOutbox();
            model.AddInbox();
        }
    }

    /// <summary>The database of the service under test.</summary>
    public abstract class TestDbContext(DbContextOptions options) : OutboxTestDbContext(options);
    public sealed class SqliteTestDbContext(DbContextOptions<SqliteTestDbContext> options) : TestDbContext(options);
    public sealed class PostgresTestDbContext(DbContextOptions<PostgresTestDbContext> options) : TestDbContext(options);

    /// <summary>A second service's database in the same host, as embedded/Embedded.Host runs Objectives and Scoring together.</summary>
    public abstract class SecondTestDbContext(DbContextOptions options) : OutboxTestDbContext(options);
    public sealed class SqliteSecondTestDbContext(DbContextOptions<SqliteSecondTestDbContext> options) : SecondTestDbContext(options);
    public sealed class PostgresSecondTestDbContext(DbContextOptions<PostgresSecondTestDbContext> options) : SecondTestDbContext(options);
}
