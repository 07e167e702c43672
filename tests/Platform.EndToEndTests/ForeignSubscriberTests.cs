using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using PerfPlatform.IntegrationEvents;
using PerfPlatform.TestSupport;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Xunit;
using Xunit.Abstractions;

namespace PerfPlatform.EndToEndTests;

/// <summary>
/// Another city system, not written with MassTransit, follows docs/events.md: it binds its own queue to the
/// documented exchange and reads the documented JSON.
/// </summary>
[Collection(nameof(RabbitMqCollection))]
public sealed class ForeignSubscriberTests(DistributedPlatform platform, ITestOutputHelper output) : IClassFixture<DistributedPlatform>
{
    [Fact]
    public async Task A_plain_AMQP_client_receives_the_recalculation_as_documented()
    {
        const int year = 2020;
        await platform.ObjectivesClient.ImportAsync(Documents.LecceFor(year));
        await platform.ScoringClient.ScorecardWhenAsync(year, c => c.Entity() is not null, "the imported year scored");

        var factory = new ConnectionFactory { Uri = new Uri(TestEnvironment.RabbitMqUrl) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var queue = await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true);
        await channel.QueueBindAsync(queue.QueueName, EventExchanges.ScoresRecalculated, routingKey: "");
        var bodies = new ConcurrentQueue<(string ContentType, string Body)>();
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            bodies.Enqueue((delivery.BasicProperties.ContentType ?? "", Encoding.UTF8.GetString(delivery.Body.Span)));
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue.QueueName, autoAck: true, consumer);

        var entry = await platform.ObjectivesClient.SetAsync(year, "1.13", 100);
        var (contentType, body) = await Probe.UntilAsync(
            () => Task.FromResult(bodies.FirstOrDefault(b => PlanVersionOf(b.Body) == entry.Version)),
            b => b.Body is not null, $"the ScoresRecalculated message on the plain AMQP queue (received: {string.Join(" | ", bodies.Select(b => b.Body))})");
        output.WriteLine(body);

        Assert.Equal("application/vnd.masstransit+json", contentType);
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        Assert.Equal("urn:message:PerfPlatform.IntegrationEvents:ScoresRecalculated", root.GetProperty("messageType")[0].GetString());
        Assert.True(Guid.TryParse(root.GetProperty("messageId").GetString(), out _));
        var message = root.GetProperty("message");
        Assert.Equal(year, message.GetProperty("year").GetInt32());
        Assert.Equal(entry.Version, message.GetProperty("planVersion").GetInt64());
        var changes = message.GetProperty("changes").EnumerateArray()
            .ToDictionary(c => (c.GetProperty("level").GetString(), c.GetProperty("key").GetString()),
                c => (Percentage(c.GetProperty("oldValue")), Percentage(c.GetProperty("newValue"))));
        Assert.Equal((96.67m, 100m), changes[("StrategicObjective", "1.13")]);
        Assert.Equal((99.58m, 100m), changes[("Area", "1")]);
        Assert.Equal((99.40m, 99.44m), changes[("Entity", "")]);
    }

    /// <summary>As documented: a percentage is a string with a decimal point (exact), or null when not assessed.</summary>
    private static decimal? Percentage(JsonElement value) =>
        value.ValueKind == JsonValueKind.Null ? null : decimal.Parse(value.GetString()!, System.Globalization.CultureInfo.InvariantCulture);

    private static long? PlanVersionOf(string body)
    {
        using var json = JsonDocument.Parse(body);
        return json.RootElement.TryGetProperty("message", out var m) && m.TryGetProperty("planVersion", out var v) ? v.GetInt64() : null;
    }
}
