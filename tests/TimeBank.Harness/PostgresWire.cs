using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace TimeBank.Harness;

/// <summary>
/// A relay on 127.0.0.1 between a service and its PostgreSQL that counts, at the wire, what the service asks of
/// the database while a request of the measurer's is in flight (<see cref="Measure"/>): round trips (each time
/// the service sends after the server has answered, on any of its connections) and top-level statements (the
/// protocol's Execute and simple Query messages). Counting at the wire sees every statement a library sends,
/// the transaction's BEGIN and COMMIT included, whoever composed it. Background work that happens to run while
/// a request is in flight is counted with it, so measure one request at a time on an otherwise quiet service.
/// </summary>
public sealed class PostgresWire : IAsyncDisposable
{
    private const int SslRequestCode = 80877103;
    private const int GssEncryptionRequestCode = 80877104;

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _serverHost;
    private readonly int _serverPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _relays = [];
    private Task? _accepting;
    private int _inFlight;
    private long _roundTrips;
    private long _statements;

    public PostgresWire(string serverHost, int serverPort)
    {
        _serverHost = serverHost;
        _serverPort = serverPort;
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public long RoundTrips => Interlocked.Read(ref _roundTrips);

    public long Statements => Interlocked.Read(ref _statements);

    /// <summary>The connection string through this relay; without TLS, so that the messages can be read.</summary>
    public string Through(string connectionString) =>
        new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { Host = "127.0.0.1", Port = Port, SslMode = Npgsql.SslMode.Disable, GssEncryptionMode = Npgsql.GssEncryptionMode.Disable }.ConnectionString;

    public void Start()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>Counts what the service sends to PostgreSQL until the returned scope is disposed.</summary>
    public IDisposable Measure()
    {
        Interlocked.Increment(ref _inFlight);
        return new Scope(this);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            if (_accepting is not null) await _accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }

        Task[] relays;
        lock (_relays) relays = [.. _relays];
        await Task.WhenAll(relays.Select(r => r.ContinueWith(_ => { }, TaskScheduler.Default)));
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            lock (_relays) _relays.Add(RelayAsync(client));
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using var _ = client;
        using var server = new TcpClient { NoDelay = true };
        client.NoDelay = true;
        try
        {
            await server.ConnectAsync(_serverHost, _serverPort, _stop.Token);
            var connection = new Connection(this);
            using var ended = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            var up = CopyAsync(client.GetStream(), server.GetStream(), connection.FromService, ended.Token);
            var down = CopyAsync(server.GetStream(), client.GetStream(), connection.FromServer, ended.Token);
            await Task.WhenAny(up, down);
            await ended.CancelAsync();
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // A connection closed by either side ends its relay.
        }
    }

    private static async Task CopyAsync(NetworkStream from, NetworkStream to, Action<ReadOnlyMemory<byte>> seen, CancellationToken cancellation)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, cancellation)) > 0)
            {
                seen(buffer.AsMemory(0, read));
                await to.WriteAsync(buffer.AsMemory(0, read), cancellation);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Closed.
        }
    }

    private sealed class Scope(PostgresWire wire) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) Interlocked.Decrement(ref wire._inFlight);
        }
    }

    /// <summary>One connection's state: whose turn it is, and where in the service's message stream the relay is.</summary>
    private sealed class Connection(PostgresWire wire)
    {
        private readonly byte[] _header = new byte[5];
        private readonly byte[] _startup = new byte[8];
        private int _headerRead;
        private int _bodyLeft;
        private bool _started;
        private volatile bool _serverSpokeLast = true;

        public void FromServer(ReadOnlyMemory<byte> _) => _serverSpokeLast = true;

        public void FromService(ReadOnlyMemory<byte> bytes)
        {
            var counting = Volatile.Read(ref wire._inFlight) > 0;
            if (_serverSpokeLast && counting) Interlocked.Increment(ref wire._roundTrips);
            _serverSpokeLast = false;

            var span = bytes.Span;
            while (span.Length > 0)
            {
                if (_bodyLeft > 0)
                {
                    var skip = Math.Min(_bodyLeft, span.Length);
                    _bodyLeft -= skip;
                    span = span[skip..];
                    continue;
                }

                // Before the startup message a message has no type byte: a length, then a code.
                var headerLength = _started ? 5 : 8;
                var take = Math.Min(headerLength - _headerRead, span.Length);
                CopyHeader(span[..take]);
                span = span[take..];
                if (_headerRead < headerLength) continue;

                if (!_started)
                {
                    var length = BinaryPrimitives.ReadInt32BigEndian(_startup);
                    var code = BinaryPrimitives.ReadInt32BigEndian(_startup.AsSpan(4));
                    _started = code is not (SslRequestCode or GssEncryptionRequestCode);
                    _bodyLeft = length - 8;
                }
                else
                {
                    var type = (char)_header[0];
                    if (counting && type is 'E' or 'Q') Interlocked.Increment(ref wire._statements);
                    _bodyLeft = BinaryPrimitives.ReadInt32BigEndian(_header.AsSpan(1)) - 4;
                }

                _headerRead = 0;
            }
        }

        private void CopyHeader(ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo((_started ? _header : _startup).AsSpan(_headerRead));
            _headerRead += bytes.Length;
        }
    }
}
