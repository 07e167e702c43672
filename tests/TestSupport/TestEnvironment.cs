using System.Net;
using System.Net.Sockets;

namespace PerfPlatform.TestSupport;

/// <summary>
/// The real servers the test command (scripts/test.sh) starts on loopback. A test that needs one fails with
/// this message when run outside it, rather than pretending.
/// </summary>
public static class TestEnvironment
{
    public static string RabbitMqUrl => Require("PERF_TEST_RABBITMQ", "RabbitMQ");

    public static string PostgresAdminConnection => Require("PERF_TEST_POSTGRES", "PostgreSQL");

    private static string Require(string variable, string server) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{variable} is not set: run the tests with `bash scripts/test.sh`, which starts a real {server} on loopback " +
                "(or `source scripts/test-env.sh start` first).");

    /// <summary>The repository root (the folder with perf-platform.sln).</summary>
    public static string RepositoryRoot { get; } = FindUp("perf-platform.sln");

    /// <summary>The Città di Lecce 2023 annex, as committed under data/.</summary>
    public static string LecceRelazione2023 => Path.Combine(RepositoryRoot, "data", "lecce-2023-relazione-performance.txt");

    public static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindUp(string marker)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, marker))) return dir.FullName;
        throw new InvalidOperationException($"{marker} not found above {AppContext.BaseDirectory}");
    }
}
