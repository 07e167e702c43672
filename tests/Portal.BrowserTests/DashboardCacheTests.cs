using System.Buffers.Binary;
using System.Threading.Channels;
using Google.Protobuf;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PerfPlatform.Portal.Live;
using Xunit;
using ScoringV1 = PerfPlatform.Scoring.V1;

namespace PerfPlatform.Portal.BrowserTests;

/// <summary>
/// The dashboard's cache (web/Portal/Live/DashboardCache.cs) against a fake Scoring on loopback (h2c, gRPC framed by hand):
/// a copy is served again while the year's stream is live, and a recalculation on the stream makes the next read go to
/// Scoring, at once, not when the copy expires.
/// </summary>
public sealed class DashboardCacheTests : IAsyncLifetime
{
    private sealed class FakeScoring
    {
        public volatile ScoringV1.Scorecard Card = new() { Year = 2023, Version = 1, EntityLevel = new ScoringV1.Score { Value = 99.40 } };
        public int Reads;
        public readonly List<Channel<ScoringV1.Recalculation>> Watchers = [];
        public int WatchersCount { get { lock (Watchers) return Watchers.Count; } }

        public void Push(ScoringV1.Recalculation r)
        {
            lock (Watchers) foreach (var w in Watchers) w.Writer.TryWrite(r);
        }

        public void DropStreams()
        {
            lock (Watchers) { foreach (var w in Watchers) w.Writer.TryComplete(); Watchers.Clear(); }
        }
    }

    private readonly FakeScoring fake = new();
    private WebApplication? server;
    private GrpcChannel? channel;
    private RecalculationRelay relay = null!;
    private DashboardCache cache = null!;
    private readonly CancellationTokenSource stopping = new();

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
        server = builder.Build();
        server.MapPost("/perf.scoring.v1.Scoring/GetScorecard", async context =>
        {
            await ReadFrameAsync(context);
            Interlocked.Increment(ref fake.Reads);
            await StartAsync(context);
            await WriteFrameAsync(context, fake.Card);
            context.Response.AppendTrailer("grpc-status", "0");
        });
        server.MapPost("/perf.scoring.v1.Scoring/WatchRecalculations", async context =>
        {
            await ReadFrameAsync(context);
            var watcher = Channel.CreateUnbounded<ScoringV1.Recalculation>();
            lock (fake.Watchers) fake.Watchers.Add(watcher);
            await StartAsync(context);
            await context.Response.Body.FlushAsync(); // the headers, at once (as Scoring does)
            try
            {
                await foreach (var r in watcher.Reader.ReadAllAsync(context.RequestAborted)) await WriteFrameAsync(context, r);
            }
            catch (OperationCanceledException) { }
            context.Response.AppendTrailer("grpc-status", "0");
        });
        await server.StartAsync();
        var address = server.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First();
        channel = GrpcChannel.ForAddress(address);
        relay = new RecalculationRelay(new ScoringV1.Scoring.ScoringClient(channel), new NoHub(), new Lifetime(stopping.Token), NullLogger<RecalculationRelay>.Instance);
        cache = new DashboardCache(relay);
    }

    public async Task DisposeAsync()
    {
        stopping.Cancel();
        fake.DropStreams();
        cache.Dispose();
        channel?.Dispose();
        if (server is not null) await server.DisposeAsync();
    }

    private Task<ScoringV1.Scorecard> ReadAsync() =>
        cache.GetAsync("figures", 2023, 0, RecalculationRelay.Anonymous, null,
            t => new ScoringV1.Scoring.ScoringClient(channel!).GetScorecardAsync(new ScoringV1.GetScorecardRequest { Year = 2023 }, cancellationToken: t).ResponseAsync,
            c => c.Version, CancellationToken.None);

    private static async Task Eventually(Func<Task<bool>> condition, string what, int seconds = 10)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > until) Assert.Fail($"not within {seconds} s: {what}");
            await Task.Delay(20);
        }
    }

    /// <summary>Reads until one is served from the cache (the stream connected and its grace passed).</summary>
    private async Task WarmAsync()
    {
        await Eventually(async () =>
        {
            var before = fake.Reads;
            await ReadAsync();
            return fake.Reads == before;
        }, "a read served from the cache");
    }

    [Fact]
    public async Task A_copy_is_served_again_and_a_recalculation_on_the_stream_makes_the_next_read_new()
    {
        Assert.Equal(99.40, (await ReadAsync()).EntityLevel.Value);
        await WarmAsync();
        var reads = fake.Reads;
        for (var i = 0; i < 20; i++) Assert.Equal(1, (await ReadAsync()).Version);
        Assert.Equal(reads, fake.Reads); // all twenty from the cache

        // 1.13 set to 100: Scoring holds the new card, then announces it.
        fake.Card = new ScoringV1.Scorecard { Year = 2023, Version = 2, EntityLevel = new ScoringV1.Score { Value = 99.44 } };
        fake.Push(new ScoringV1.Recalculation { Year = 2023, Version = 2 });
        // At once, not when the copy expires (DashboardCache.MaxAge, 10 s).
        await Eventually(async () => (await ReadAsync()).EntityLevel.Value == 99.44, "the new figure", seconds: 3);
        Assert.True(fake.Reads > reads);
        await WarmAsync();
        Assert.Equal(99.44, (await ReadAsync()).EntityLevel.Value);
    }

    [Fact]
    public async Task A_copy_older_than_an_announced_version_is_not_kept()
    {
        await ReadAsync();
        await WarmAsync();
        // The announcement comes before Scoring answers with the new card (a read in between gets the old one).
        fake.Push(new ScoringV1.Recalculation { Year = 2023, Version = 2 });
        await Eventually(() => Task.FromResult(relay.AnnouncedVersion(2023) == 2), "the announcement");
        var reads = fake.Reads;
        Assert.Equal(1, (await ReadAsync()).Version);
        Assert.Equal(1, (await ReadAsync()).Version);
        Assert.Equal(reads + 2, fake.Reads); // version 1 is older than announced: read each time, never kept
        fake.Card = new ScoringV1.Scorecard { Year = 2023, Version = 2, EntityLevel = new ScoringV1.Score { Value = 99.44 } };
        Assert.Equal(2, (await ReadAsync()).Version);
    }

    [Fact]
    public async Task Without_a_stream_nothing_is_served_from_the_cache()
    {
        await ReadAsync();
        await WarmAsync();
        fake.DropStreams(); // Scoring restarted: the relay watches again after 2 s; meanwhile no copy is trusted
        await Eventually(() => Task.FromResult(!relay.LiveSince(2023, System.Diagnostics.Stopwatch.GetTimestamp())), "the stream seen as dropped");
        fake.Card = new ScoringV1.Scorecard { Year = 2023, Version = 2, EntityLevel = new ScoringV1.Score { Value = 99.44 } };
        // Changed while no stream was open (no announcement): the next read is new all the same.
        Assert.Equal(99.44, (await ReadAsync()).EntityLevel.Value);
        var reads = fake.Reads;
        await ReadAsync();
        if (!relay.LiveSince(2023, System.Diagnostics.Stopwatch.GetTimestamp())) Assert.Equal(reads + 1, fake.Reads);
        await WarmAsync(); // and once it is back, copies are served again
    }

    private static async Task ReadFrameAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
    }

    private static Task StartAsync(HttpContext context)
    {
        context.Response.ContentType = "application/grpc";
        context.Response.Headers["grpc-encoding"] = "identity";
        return context.Response.StartAsync();
    }

    private static async Task WriteFrameAsync(HttpContext context, IMessage message)
    {
        var bytes = message.ToByteArray();
        var frame = new byte[5 + bytes.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)bytes.Length);
        bytes.CopyTo(frame, 5);
        await context.Response.Body.WriteAsync(frame);
        await context.Response.Body.FlushAsync();
    }

    private sealed class Lifetime(CancellationToken stopping) : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;
        public CancellationToken ApplicationStopping => stopping;
        public CancellationToken ApplicationStopped => CancellationToken.None;
        public void StopApplication() { }
    }

    private sealed class NoHub : IHubContext<RecalculationHub>
    {
        public IHubClients Clients { get; } = new NoClients();
        public IGroupManager Groups => throw new NotSupportedException();

        private sealed class NoClients : IHubClients
        {
            private static readonly IClientProxy Proxy = new NoProxy();
            public IClientProxy All => Proxy;
            public IClientProxy AllExcept(IReadOnlyList<string> excludedConnectionIds) => Proxy;
            public IClientProxy Client(string connectionId) => Proxy;
            public IClientProxy Clients(IReadOnlyList<string> connectionIds) => Proxy;
            public IClientProxy Group(string groupName) => Proxy;
            public IClientProxy GroupExcept(string groupName, IReadOnlyList<string> excludedConnectionIds) => Proxy;
            public IClientProxy Groups(IReadOnlyList<string> groupNames) => Proxy;
            public IClientProxy User(string userId) => Proxy;
            public IClientProxy Users(IReadOnlyList<string> userIds) => Proxy;
        }

        private sealed class NoProxy : IClientProxy
        {
            public Task SendCoreAsync(string method, object?[] args, CancellationToken cancellationToken = default) => Task.CompletedTask;
        }
    }
}
