using System.Diagnostics;
using System.Text;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace PerfPlatform.TestSupport;

/// <summary>
/// A service host run as its own operating-system process from its build output, exactly as deployed minus the
/// container: its own settings, its own database, talking to the others only over RabbitMQ and gRPC.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    public int GrpcPort { get; }
    /// <summary>The operating-system process id (the bench reads its CPU time).</summary>
    public int ProcessId => _process.Id;
    public GrpcChannel Channel { get; }
    public string Output { get { lock (_output) return _output.ToString(); } }

    private HostProcess(Process process, int grpcPort)
    {
        _process = process;
        GrpcPort = grpcPort;
        // Reconnect fast: the start-up probe begins before the host listens, and the default backoff (up to 120 s)
        // would leave the channel waiting long after a slow start has ended.
        Channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}", new GrpcChannelOptions
        {
            InitialReconnectBackoff = TimeSpan.FromMilliseconds(100),
            MaxReconnectBackoff = TimeSpan.FromSeconds(1),
        });
    }

    /// <param name="hostProject">e.g. "services/Scoring/Scoring.Host" (its build output must exist: the test project references it).</param>
    /// <param name="grpcPort">The port to serve gRPC on (a free one when null), e.g. to restart a host where its clients expect it.</param>
    public static async Task<HostProcess> StartAsync(string hostProject, IDictionary<string, string> settings, int? grpcPort = null)
    {
        var port = grpcPort ?? TestEnvironment.FreeTcpPort();
        return await StartCoreAsync(hostProject, settings, "Grpc", port, async host =>
        {
            var health = new Health.HealthClient(host.Channel);
            return (await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(2))).Status == HealthCheckResponse.Types.ServingStatus.Serving;
        });
    }

    /// <summary>
    /// A host that serves HTTP only (no gRPC listener), e.g. services/Identity/Identity.Host: its endpoint "Http" on
    /// <paramref name="httpPort"/> (a free one when null), ready when /healthz answers 200 there. <see cref="GrpcPort"/> is
    /// that port too (gRPC health is mapped on it, over HTTP/1.1 only).
    /// </summary>
    public static async Task<HostProcess> StartHttpAsync(string hostProject, IDictionary<string, string> settings, int? httpPort = null)
    {
        var port = httpPort ?? TestEnvironment.FreeTcpPort();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        return await StartCoreAsync(hostProject, settings, "Http", port, async _ =>
            (await http.GetAsync($"http://127.0.0.1:{port}/healthz")).StatusCode == System.Net.HttpStatusCode.OK);
    }

    private static async Task<HostProcess> StartCoreAsync(string hostProject, IDictionary<string, string> settings, string endpoint, int port,
        Func<HostProcess, Task<bool>> ready)
    {
        var name = Path.GetFileName(hostProject);
        var dll = FindBuildOutput(hostProject, name);
        var managementPort = TestEnvironment.FreeTcpPort();
        var info = new ProcessStartInfo("dotnet", $"\"{dll}\"")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment[$"Kestrel__Endpoints__{endpoint}__Url"] = $"http://127.0.0.1:{port}";
        info.Environment["Kestrel__Endpoints__Management__Url"] = $"http://127.0.0.1:{managementPort}";
        foreach (var (key, value) in settings) info.Environment[key] = value;

        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {dll}");
        var host = new HostProcess(process, port);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (host._output) host._output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (host._output) host._output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            await Probe.UntilAsync(async () => process.HasExited || await ready(host), s => s, $"{name} to serve", TimeSpan.FromSeconds(120));
        }
        catch (TimeoutException ex)
        {
            await host.DisposeAsync();
            throw new InvalidOperationException($"{name} did not start:\n{host.Output}", ex);
        }
        if (process.HasExited) throw new InvalidOperationException($"{name} exited at start:\n{host.Output}");
        return host;
    }

    /// <summary>Runs a host that is expected to stop by itself (e.g. refuse to start); returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(string hostProject, IDictionary<string, string> settings, TimeSpan timeout)
    {
        var name = Path.GetFileName(hostProject);
        var dll = FindBuildOutput(hostProject, name);
        var info = new ProcessStartInfo("dotnet", $"\"{dll}\"")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Kestrel__Endpoints__Grpc__Url"] = $"http://127.0.0.1:{TestEnvironment.FreeTcpPort()}";
        info.Environment["Kestrel__Endpoints__Management__Url"] = $"http://127.0.0.1:{TestEnvironment.FreeTcpPort()}";
        foreach (var (key, value) in settings) info.Environment[key] = value;
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {dll}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{name} still runs after {timeout}");
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>Stops the process at once, as a crash or a killed pod would.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        Channel.Dispose();
        _process.Dispose();
    }

    private static string FindBuildOutput(string hostProject, string name)
    {
        var bin = Path.Combine(TestEnvironment.RepositoryRoot, hostProject, "bin");
        var candidates = Directory.Exists(bin) ? Directory.GetFiles(bin, name + ".dll", SearchOption.AllDirectories) : [];
        // Prefer the configuration the tests themselves were built in.
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        return candidates.Where(c => !c.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
                   .OrderByDescending(c => c.Contains(configuration))
                   .ThenByDescending(File.GetLastWriteTimeUtc)
                   .FirstOrDefault()
               ?? throw new InvalidOperationException($"{name}.dll not built under {bin}");
    }
}
