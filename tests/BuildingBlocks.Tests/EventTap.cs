using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using PerfPlatform.TestSupport;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace PerfPlatform.BuildingBlocks.Tests;

/// <summary>One message as it arrived on the tap's queue.</summary>
/// <param name="AmqpMessageId">The AMQP message-id property.</param>
/// <param name="EnvelopeMessageId">The messageId of the MassTransit envelope.</param>
/// <param name="ReceivedAt">A <see cref="Stopwatch"/> timestamp.</param>
/// <param name="Origin">The AMQP header perf-origin (EventOrigin): the process whose commit published it, if stamped.</param>
public sealed record Delivery(string? AmqpMessageId, Guid EnvelopeMessageId, Guid RunId, int Sequence, string Name, long ReceivedAt, string? Origin = null);

/// <summary>
/// A plain AMQP subscriber, independent of MassTransit: a temporary queue bound to the exchange the
/// <see cref="Events.WidgetCreated"/> events are published to. It keeps only the messages of one test (its run id).
/// </summary>
public sealed class EventTap : IAsyncDisposable
{
    /// <summary>MassTransit's default exchange name for the event type: "namespace:name".</summary>
    public const string Exchange = "PerfPlatform.BuildingBlocks.Tests.Events:WidgetCreated";

    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly ConcurrentQueue<Delivery> _received = new();
    public Guid RunId { get; }

    private EventTap(IConnection connection, IChannel channel, Guid runId)
    {
        _connection = connection;
        _channel = channel;
        RunId = runId;
    }

    public static async Task<EventTap> StartAsync(Guid runId)
    {
        var factory = new ConnectionFactory { Uri = new Uri(TestEnvironment.RabbitMqUrl) };
        var connection = await factory.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        var tap = new EventTap(connection, channel, runId);
        // Declared as MassTransit declares it (fanout, durable), so that the queue is bound before the first publish.
        await channel.ExchangeDeclareAsync(Exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
        var queue = await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true);
        await channel.QueueBindAsync(queue.QueueName, Exchange, routingKey: "");
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            var at = Stopwatch.GetTimestamp();
            try
            {
                using var json = JsonDocument.Parse(delivery.Body);
                var root = json.RootElement;
                var message = root.GetProperty("message");
                if (message.GetProperty("runId").GetGuid() == runId)
                {
                    tap._received.Enqueue(new Delivery(
                        delivery.BasicProperties.MessageId,
                        root.GetProperty("messageId").GetGuid(),
                        runId,
                        message.GetProperty("sequence").GetInt32(),
                        message.GetProperty("name").GetString()!,
                        at,
                        delivery.BasicProperties.Headers?.TryGetValue(Messaging.EventOrigin.Header, out var origin) == true && origin is byte[] bytes
                            ? System.Text.Encoding.UTF8.GetString(bytes) : null));
                }
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                // Not a WidgetCreated envelope of this shape: not one of ours.
            }
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue.QueueName, autoAck: true, consumer);
        return tap;
    }

    /// <summary>This test's messages, in arrival order.</summary>
    public IReadOnlyList<Delivery> Received => _received.ToList();

    public Task<Delivery> WaitForAsync(Guid messageId, TimeSpan? timeout = null) =>
        Probe.UntilAsync(
            () => Task.FromResult(Received.FirstOrDefault(d => d.EnvelopeMessageId == messageId)),
            d => d is not null,
            $"message {messageId} on the tap (received: {Describe()})",
            timeout)!;

    public Task WaitForCountAsync(int count, TimeSpan? timeout = null) =>
        Probe.UntilAsync(() => Task.FromResult(Received.Count), n => n >= count, $"{count} messages on the tap", timeout);

    public string Describe() => string.Join(", ", Received.Select(d => $"#{d.Sequence} {d.Name} {d.EnvelopeMessageId}"));

    public async ValueTask DisposeAsync()
    {
        await _channel.CloseAsync();
        await _channel.DisposeAsync();
        await _connection.CloseAsync();
        await _connection.DisposeAsync();
    }
}
