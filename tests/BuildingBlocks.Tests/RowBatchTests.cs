using Microsoft.EntityFrameworkCore;
using PerfPlatform.BuildingBlocks.Outbox;
using PerfPlatform.BuildingBlocks.Persistence;
using Xunit;

namespace PerfPlatform.BuildingBlocks.Tests;

/// <summary>
/// RowBatch on real databases: what it writes reads back through EF exactly as EF would have written it (converters,
/// generated keys), an update sets only its columns, and a batch is all or nothing (a version conflict, a row gone).
/// </summary>
public sealed class RowBatchTests
{
    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task Rows_inserted_read_back_through_EF_as_written_with_their_generated_keys(Provider provider)
    {
        await using var database = await CreateDatabaseAsync(provider);
        var entry = new Entry { Kind = EntryKind.Final, Amount = 98.04m, Note = null, AsOf = new DateOnly(2023, 12, 31), At = At(9) };
        var given = new Entry { Id = Guid.NewGuid(), Kind = EntryKind.Monitoring, Amount = 0.0001m, Note = "già", AsOf = new DateOnly(2023, 6, 30), At = At(10) };
        var first = new Line { Text = "first" };
        var second = new Line { Text = "second" };
        await using (var db = database.NewContext())
            await new RowBatch(db).Insert(entry).Insert(given).Insert(first).Insert(second).ExecuteAsync();

        Assert.NotEqual(Guid.Empty, entry.Id);
        Assert.True(first.Id > 0 && second.Id == first.Id + 1, $"{first.Id}, {second.Id}");
        await using var check = database.NewContext();
        var stored = (await check.Entries.ToListAsync()).OrderBy(e => e.At).ToList(); // SQLite cannot order by a DateTimeOffset
        Assert.Equal([entry.Id, given.Id], stored.Select(e => e.Id));
        Assert.Equal((EntryKind.Final, 98.04m, (string?)null, new DateOnly(2023, 12, 31), At(9)), (stored[0].Kind, stored[0].Amount, stored[0].Note, stored[0].AsOf, stored[0].At));
        Assert.Equal((EntryKind.Monitoring, 0.0001m, "già"), (stored[1].Kind, stored[1].Amount, stored[1].Note));
        // The enum went through its converter: the column holds the name, as EF writes it.
        var kinds = await check.Database.SqlQueryRaw<string>("""SELECT "Kind" AS "Value" FROM entries""").ToListAsync();
        Assert.Equal(["Final", "Monitoring"], kinds.Order());
        Assert.Equal(["first", "second"], await check.Lines.OrderBy(l => l.Id).Select(l => l.Text).ToListAsync());
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task An_update_sets_its_columns_only(Provider provider)
    {
        await using var database = await CreateDatabaseAsync(provider);
        var entry = new Entry { Kind = EntryKind.Final, Amount = 1, Note = "kept", AsOf = new DateOnly(2023, 12, 31), At = At(9) };
        await using (var db = database.NewContext())
            await new RowBatch(db).Insert(entry).ExecuteAsync();

        // A stub with the key and the new values: what it leaves unset must not be written.
        var stub = new Entry { Id = entry.Id, Kind = EntryKind.Monitoring, Amount = 2, Note = null };
        await using (var db = database.NewContext())
            await new RowBatch(db).Update(stub, nameof(Entry.Amount)).ExecuteAsync();

        await using var check = database.NewContext();
        var stored = await check.Entries.SingleAsync();
        Assert.Equal((EntryKind.Final, 2m, "kept", At(9)), (stored.Kind, stored.Amount, stored.Note, stored.At));
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task A_version_conflict_refuses_the_whole_batch(Provider provider)
    {
        await using var database = await CreateDatabaseAsync(provider);
        await using (var db = database.NewContext())
            await new RowBatch(db).Insert(new Year { Number = 2023, Version = 5 }).ExecuteAsync();

        await using (var db = database.NewContext())
        {
            // Written from version 4, which the year has left: the trigger refuses, and the line goes with it.
            var refused = await Assert.ThrowsAnyAsync<DbUpdateException>(() => new RowBatch(db)
                .Insert(new Line { Text = "lost" })
                .Update(new Year { Number = 2023, Version = 6, VersionBase = 4 }, nameof(Year.Version), nameof(Year.VersionBase))
                .ExecuteAsync());
            Assert.True(VersionCheck.IsConflict(refused), refused.ToString());
        }
        await using (var db = database.NewContext())
            await new RowBatch(db).Update(new Year { Number = 2023, Version = 6, VersionBase = 5 }, nameof(Year.Version), nameof(Year.VersionBase))
                .Insert(new Line { Text = "kept" }).ExecuteAsync();

        await using var check = database.NewContext();
        Assert.Equal(6, (await check.Years.SingleAsync()).Version);
        Assert.Equal(["kept"], await check.Lines.Select(l => l.Text).ToListAsync());
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task An_update_of_a_row_that_is_gone_refuses_the_whole_batch(Provider provider)
    {
        await using var database = await CreateDatabaseAsync(provider);
        await using (var db = database.NewContext())
        {
            var refused = await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => new RowBatch(db)
                .Insert(new Line { Text = "before" })
                .UpdateAll(new Entry { Id = Guid.NewGuid(), Kind = EntryKind.Final, Amount = 1, AsOf = new DateOnly(2023, 1, 1), At = At(1) })
                .Insert(new Line { Text = "after" })
                .ExecuteAsync());
            Assert.Contains("nothing was written", refused.Message);
        }
        await using var check = database.NewContext();
        Assert.Empty(await check.Lines.ToListAsync());
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task Outbox_messages_are_handed_to_the_dispatcher_once_committed_and_not_when_refused(Provider provider)
    {
        await using var database = await CreateDatabaseAsync(provider);
        var signal = new OutboxSignal();
        signal.Subscribe<RowDbContext>();
        var message = OutboxMessage.From(new Events.WidgetCreated(Guid.NewGuid(), 1, "w"), Guid.NewGuid(), At(1));
        await using (var db = database.NewContext(HandingOverTo(signal)))
            await new RowBatch(db).Insert(new Line { Text = "with its event" }).Insert(message).ExecuteAsync();

        Assert.True(await signal.WaitAsync<RowDbContext>(TimeSpan.Zero, CancellationToken.None));
        Assert.True(signal.TryTakeCommitted<RowDbContext>(out var handed));
        Assert.Same(message, handed);
        Assert.True(handed.Id > 0);

        await using (var db = database.NewContext(HandingOverTo(signal)))
            await Assert.ThrowsAnyAsync<DbUpdateException>(() => new RowBatch(db)
                .Insert(OutboxMessage.From(new Events.WidgetCreated(Guid.NewGuid(), 2, "x"), Guid.NewGuid(), At(2)))
                .Insert(new Line { Text = "with its event" }) // the text is unique: refused
                .ExecuteAsync());
        Assert.False(signal.TryTakeCommitted<RowDbContext>(out _));
        await using var check = database.NewContext();
        Assert.Equal([message.MessageId], await check.OutboxMessages.Select(m => m.MessageId).ToListAsync());
    }

    private static DateTimeOffset At(int hour) => new(2026, 12, 7, hour, 0, 0, TimeSpan.Zero);

    public enum EntryKind { Monitoring, Final }

    public sealed class Entry
    {
        public Guid Id { get; set; }
        public EntryKind Kind { get; set; }
        public decimal Amount { get; set; }
        public string? Note { get; set; }
        public DateOnly AsOf { get; set; }
        public DateTimeOffset At { get; set; }
    }

    public sealed class Line
    {
        public long Id { get; set; }
        public required string Text { get; set; }
    }

    public sealed class Year
    {
        public int Number { get; set; }
        public long Version { get; set; }
        public long? VersionBase { get; set; }
    }

    public sealed class RowDbContext(DbContextOptions<RowDbContext> options) : DbContext(options), IOutboxDbContext
    {
        public DbSet<Entry> Entries => Set<Entry>();
        public DbSet<Line> Lines => Set<Line>();
        public DbSet<Year> Years => Set<Year>();
        public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

        protected override void OnModelCreating(ModelBuilder model)
        {
            model.Entity<Entry>(e =>
            {
                e.ToTable("entries");
                e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(20);
                e.Property(x => x.Amount).HasPrecision(18, 4);
            });
            model.Entity<Line>(e =>
            {
                e.ToTable("lines");
                e.HasIndex(l => l.Text).IsUnique();
            });
            model.Entity<Year>(e =>
            {
                e.ToTable("years");
                e.HasKey(y => y.Number);
                e.Property(y => y.Number).ValueGeneratedNever();
            });
            model.AddOutbox();
        }
    }

    private static Task<VersionedModelDatabase<RowDbContext>> CreateDatabaseAsync(Provider provider) =>
        VersionedModelDatabase<RowDbContext>.CreateAsync(provider, "bb_rows", "years", o => new RowDbContext(o));

    private static Action<DbContextOptionsBuilder<RowDbContext>> HandingOverTo(OutboxSignal signal) =>
        o => o.AddInterceptors(new OutboxSaveChangesInterceptor(signal));
}
