using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace PerfPlatform.Bench;

/// <summary>
/// The bare gRPC echo (Protos/echo.proto), and a bare server of a scorecard it is given: Kestrel, HTTP/2 cleartext on loopback, the gRPC service and nothing else (no
/// logging, telemetry, authentication or health). The dashboard bench runs it as a process of its own
/// (<c>Platform.Bench.dll echo-server PORT</c>) so its CPU is counted apart from the client's.
/// </summary>
public static class EchoServer
{
    public static async Task<int> RunAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.ListenLocalhost(port, o => o.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        var app = builder.Build();
        app.MapGrpcService<EchoService>();
        // The bench holds this process's stdin: when the bench ends, however it ends, stdin closes and the echo stops.
        _ = Task.Run(async () =>
        {
            await Console.In.ReadToEndAsync();
            await app.StopAsync();
        });
        await app.RunAsync();
        return 0;
    }

    private sealed class EchoService : V1.Echo.EchoBase
    {
        private static readonly V1.EchoMessage Done = new();
        private static Scoring.V1.Scorecard _held = new();

        public override Task<V1.EchoMessage> Echo(V1.EchoMessage request, ServerCallContext context) => Task.FromResult(request);

        public override Task<V1.EchoMessage> Hold(Scoring.V1.Scorecard request, ServerCallContext context)
        {
            _held = request;
            return Task.FromResult(Done);
        }

        public override Task<Scoring.V1.Scorecard> Scorecard(V1.EchoMessage request, ServerCallContext context) => Task.FromResult(_held);
    }
}
