using PerfPlatform.TestSupport;
using Xunit;

namespace PerfPlatform.BuildingBlocks.Tests;

/// <summary>ConnectionStrings:RabbitMq as AMQP URIs are written.</summary>
public sealed class MessagingTests
{
    /// <summary>
    /// The AMQP URI spec percent-decodes the virtual host: "amqp://host/%2F" is the default vhost "/", and a common
    /// way to name it explicitly. The outbox must publish through it.
    /// </summary>
    [Fact]
    public async Task A_percent_encoded_vhost_in_the_connection_string_is_decoded()
    {
        var url = new UriBuilder(TestEnvironment.RabbitMqUrl) { Path = "/%2F" }.Uri.AbsoluteUri;
        Assert.EndsWith("/%2F", url);
        await using var database = await TestDatabase.CreateAsync(Provider.Sqlite);
        await using var tap = await EventTap.StartAsync(Guid.NewGuid());
        await using var host = await TestHost.StartAsync(database, rabbitMqUrl: url);

        var id = await host.WithDbAsync(db => Widgets.CommitAsync(db, tap.RunId, 1, "through-%2F"));
        await tap.WaitForAsync(id);
    }
}
