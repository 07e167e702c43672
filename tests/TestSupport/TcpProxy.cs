using System.Net;
using System.Net.Sockets;

namespace PerfPlatform.TestSupport;

/// <summary>
/// A loopback TCP proxy in front of a real server (RabbitMQ, PostgreSQL), to take it away from a process without stopping
/// it for the others: <see cref="ProxyMode.Refuse"/> drops every connection (a server down), <see cref="ProxyMode.Stall"/>
/// keeps connections open and moves no byte either way (a connection that looks alive and carries nothing, as after a
/// broker restart seen here). Connections stalled stay stalled when the proxy forwards again, until closed: only a
/// client that gives up on its connection and opens a new one gets through.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private sealed class Connection(TcpClient client, TcpClient server, bool frozen)
    {
        public TcpClient Client { get; } = client;
        public TcpClient Server { get; } = server;
        public volatile bool Frozen = frozen;
    }

    private readonly List<Connection> _connections = [];
    private readonly Task _accepting;
    private volatile ProxyMode _mode = ProxyMode.Forward;

    public int Port { get; }

    public TcpProxy(int targetPort)
    {
        _target = new IPEndPoint(IPAddress.Loopback, targetPort);
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public ProxyMode Mode => _mode;

    /// <summary>Sets the mode: Refuse cuts the open connections, Stall freezes them; Forward leaves frozen ones frozen.</summary>
    public void Set(ProxyMode mode)
    {
        _mode = mode;
        if (mode == ProxyMode.Refuse) CloseAll();
        if (mode == ProxyMode.Stall)
            lock (_connections) foreach (var c in _connections) c.Frozen = true;
    }

    /// <summary>Closes every open connection (e.g. the stalled ones, when forwarding again).</summary>
    public void CloseAll()
    {
        lock (_connections)
        {
            foreach (var c in _connections)
            {
                c.Client.Dispose();
                c.Server.Dispose();
            }
            _connections.Clear();
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) when (_stop.IsCancellationRequested) { return; }
            catch (SocketException) { continue; }
            if (_mode == ProxyMode.Refuse)
            {
                client.Dispose();
                continue;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        var server = new TcpClient();
        try
        {
            await server.ConnectAsync(_target, _stop.Token);
        }
        catch (Exception)
        {
            client.Dispose();
            server.Dispose();
            return;
        }
        var connection = new Connection(client, server, _mode == ProxyMode.Stall);
        lock (_connections) _connections.Add(connection);
        var a = PumpAsync(connection, client.GetStream(), server.GetStream());
        var b = PumpAsync(connection, server.GetStream(), client.GetStream());
        await Task.WhenAny(a, b);
        client.Dispose();
        server.Dispose();
        lock (_connections) _connections.Remove(connection);
    }

    private async Task PumpAsync(Connection connection, NetworkStream from, NetworkStream to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var n = await from.ReadAsync(buffer, _stop.Token);
                if (n == 0) return;
                // Stalled: hold the bytes, pass nothing, until the connection is closed.
                while (connection.Frozen) await Task.Delay(20, _stop.Token);
                await to.WriteAsync(buffer.AsMemory(0, n), _stop.Token);
            }
        }
        catch (Exception) { }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        CloseAll();
        try { await _accepting; } catch (Exception) { }
        _stop.Dispose();
    }
}

public enum ProxyMode
{
    Forward,
    Refuse,
    Stall,
}
