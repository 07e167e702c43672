using System.Buffers.Binary;
using System.Diagnostics;
using MassTransit;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace PerfPlatform.Bench.Messages
{
    /// <summary>The bare bench's tiny message (MassTransit contracts must live in a namespace).</summary>
    public sealed record BenchPing(long Seq);
}

namespace PerfPlatform.Bench
{
    using PerfPlatform.Bench.Messages;

    /// <summary>
    /// The floor: a tiny message published and consumed in this process through the same local RabbitMQ,
    /// one at a time, timed from just before Publish to the moment the consumer runs.
    /// </summary>
    public static class BareBench
    {
        public static async Task<BareResult> RunAsync(BenchOptions options, CancellationToken ct)
        {
            Console.WriteLine($"\n== bare: publish-to-consume round trip on {Redact(options.RabbitMq)}, N={options.BareCount} after {options.BareWarmup} warm-up ==");
            var massTransit = await MassTransitAsync(options, ct);
            Summary? rawConfirmed = null, rawUnconfirmed = null;
            if (options.Raw)
            {
                rawConfirmed = await RawAsync(options, confirms: true, ct);
                rawUnconfirmed = await RawAsync(options, confirms: false, ct);
            }

            var t = new Table("round trip (ms)", "p50", "p90", "p99", "max", "mean", "count");
            t.Row("MassTransit 8 Publish -> consumer (publisher confirms, as the platform)",
                massTransit.P50, massTransit.P90, massTransit.P99, massTransit.Max, massTransit.Mean, massTransit.Count);
            if (rawConfirmed is { } c)
                t.Row("RabbitMQ.Client 7 BasicPublish -> consumer, publisher confirms", c.P50, c.P90, c.P99, c.Max, c.Mean, c.Count);
            if (rawUnconfirmed is { } u)
                t.Row("RabbitMQ.Client 7 BasicPublish -> consumer, no confirms", u.P50, u.P90, u.P99, u.Max, u.Mean, u.Count);
            t.Print("bare results");
            if (rawConfirmed is { } rc)
                Console.WriteLine($"MassTransit over raw (confirms): p50 {massTransit.P50 / rc.P50:F2}x, p99 {massTransit.P99 / rc.P99:F2}x");
            return new BareResult(massTransit, rawConfirmed, rawUnconfirmed);
        }

        private static async Task<Summary> MassTransitAsync(BenchOptions options, CancellationToken ct)
        {
            var meter = new RoundTrip();
            var uri = new Uri(options.RabbitMq);
            var (user, password, vhost) = Credentials(uri);
            var queue = $"perf-bench-bare-{Guid.NewGuid():N}";
            var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
            {
                cfg.Host(uri.Host, (ushort)(uri.IsDefaultPort || uri.Port < 0 ? 5672 : uri.Port), vhost, h =>
                {
                    h.Username(user);
                    h.Password(password);
                });
                cfg.ReceiveEndpoint(queue, e =>
                {
                    e.AutoDelete = true;
                    e.Durable = false;
                    e.Handler<BenchPing>(context =>
                    {
                        meter.Arrived(context.Message.Seq, Stopwatch.GetTimestamp());
                        return Task.CompletedTask;
                    });
                });
            });

            using var startTimeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            startTimeout.CancelAfter(TimeSpan.FromSeconds(30));
            try
            {
                await bus.StartAsync(startTimeout.Token);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                throw new BenchException($"MassTransit could not connect to {Redact(options.RabbitMq)} (is RabbitMQ running? bash bench/run.sh starts it): {ex.Message}", ex);
            }
            try
            {
                return await meter.MeasureAsync(options.BareWarmup, options.BareCount,
                    (seq, token) => bus.Publish(new BenchPing(seq), token), ct);
            }
            finally
            {
                using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                await bus.StopAsync(stop.Token);
            }
        }

        private static async Task<Summary> RawAsync(BenchOptions options, bool confirms, CancellationToken ct)
        {
            var meter = new RoundTrip();
            var factory = new ConnectionFactory { Uri = new Uri(options.RabbitMq), ClientProvidedName = "perf-bench-raw" };
            await using var connection = await factory.CreateConnectionAsync(ct);
            await using var consumeChannel = await connection.CreateChannelAsync(cancellationToken: ct);
            var queue = await consumeChannel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true, arguments: null, cancellationToken: ct);
            var consumer = new AsyncEventingBasicConsumer(consumeChannel);
            consumer.ReceivedAsync += (_, delivery) =>
            {
                var now = Stopwatch.GetTimestamp();
                meter.Arrived(BinaryPrimitives.ReadInt64LittleEndian(delivery.Body.Span), now);
                return Task.CompletedTask;
            };
            await consumeChannel.BasicConsumeAsync(queue.QueueName, autoAck: true, consumer, ct);

            await using var publishChannel = await connection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: confirms, publisherConfirmationTrackingEnabled: confirms), ct);
            var properties = new BasicProperties { ContentType = "application/octet-stream" };
            return await meter.MeasureAsync(options.BareWarmup, options.BareCount, async (seq, token) =>
            {
                var body = new byte[8];
                BinaryPrimitives.WriteInt64LittleEndian(body, seq);
                await publishChannel.BasicPublishAsync("", queue.QueueName, mandatory: false, properties, body, token);
            }, ct);
        }

        internal static (string User, string Password, string VirtualHost) Credentials(Uri uri)
        {
            var userInfo = Uri.UnescapeDataString(uri.UserInfo).Split(':', 2);
            var vhost = Uri.UnescapeDataString(uri.AbsolutePath.Trim('/')) is { Length: > 0 } v ? v : "/";
            return userInfo.Length == 2 ? (userInfo[0], userInfo[1], vhost) : ("guest", "guest", vhost);
        }

        internal static string Redact(string amqp) =>
            Uri.TryCreate(amqp, UriKind.Absolute, out var u) ? $"{u.Scheme}://{u.Host}:{u.Port}{u.AbsolutePath}" : "?";
    }

    /// <summary>One message in flight at a time; the consumer's arrival time against the publish start.</summary>
    internal sealed class RoundTrip
    {
        private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
        private TaskCompletionSource<long>? _waiting;
        private long _expected = -1;

        public void Arrived(long seq, long timestamp)
        {
            if (seq == Volatile.Read(ref _expected)) Volatile.Read(ref _waiting)?.TrySetResult(timestamp);
        }

        public async Task<Summary> MeasureAsync(int warmup, int count, Func<long, CancellationToken, Task> publish, CancellationToken ct)
        {
            var samples = new List<double>(count);
            var lost = 0;
            for (long seq = 0; seq < warmup + count; seq++)
            {
                ct.ThrowIfCancellationRequested();
                var waiting = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
                Volatile.Write(ref _waiting, waiting);
                Volatile.Write(ref _expected, seq);
                var start = Stopwatch.GetTimestamp();
                await publish(seq, ct);
                try
                {
                    var arrived = await waiting.Task.WaitAsync(Timeout, ct);
                    if (seq >= warmup) samples.Add(Time.Ms(arrived - start));
                }
                catch (TimeoutException)
                {
                    if (++lost >= 3) throw new BenchException($"bare: {lost} messages not consumed within {Timeout.TotalSeconds:0} s; giving up");
                }
            }
            if (lost > 0) Console.WriteLine($"bare: {lost} message(s) not consumed within {Timeout.TotalSeconds:0} s (left out)");
            return Summary.Of(samples);
        }
    }
}
