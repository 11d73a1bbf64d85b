using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace TimeBank.Api.Infrastructure.Http;

/// <summary>
/// Kestrel answers some requests itself, before any code of the service runs, and with an empty body: a target
/// it cannot read (a <c>%00</c> in the path: 400), a request line or headers over its limits (414, 431), a
/// protocol it does not speak (505). Kestrel offers no hook for those answers, so this sits between Kestrel and
/// the connection: an answer that is only a head, with a 4xx or 5xx status, <c>Content-Length: 0</c>, no content
/// type and <c>Connection: close</c> (the form of those answers and of no answer the service writes: its
/// refusals all carry a problem) gets the problem body every other refusal has, and a log line saying so.
/// </summary>
public static class ServerRefusals
{
    /// <summary>Puts the rewrite on every endpoint Kestrel listens on.</summary>
    public static void Apply(KestrelServerOptions kestrel) => kestrel.ConfigureEndpointDefaults(listen => listen.Use(next => async connection =>
    {
        var logger = listen.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ServerRefusals));
        var transport = connection.Transport;
        await using var output = new RefusalRewriter(transport.Output, connection, logger);
        connection.Transport = new Duplex(transport.Input, output);
        try
        {
            await next(connection);
        }
        finally
        {
            connection.Transport = transport;
        }
    }));

    /// <summary>What each status Kestrel answers by itself means, as a problem.</summary>
    public static (string Code, string Title, string Detail) Describe(int status) => status switch
    {
        StatusCodes.Status400BadRequest => ("bad-request", "The request could not be read.",
            "The request line or a header is not valid HTTP (a %00 or another character not allowed in the path, for example): the server refused it before reading it."),
        StatusCodes.Status408RequestTimeout => ("request-timeout", "The request came too slowly.",
            $"Send the headers within {RequestLimits.HeadersTimeout.TotalSeconds:0} s and the body at no less than {RequestLimits.MinBytesPerSecond} bytes a second."),
        StatusCodes.Status413PayloadTooLarge => ("body-too-large", "The request body is too large.",
            $"Send at most {RequestLimits.MaxBodyBytes / (1024 * 1024)} MB; for many services use batches of at most 5,000."),
        StatusCodes.Status414UriTooLong => ("uri-too-long", "The request's path and query are too long.",
            $"Send at most {RequestLimits.MaxTargetLength / 1024} KB of path and query."),
        StatusCodes.Status431RequestHeaderFieldsTooLarge => ("request-headers-too-large", "The request's headers are too large.",
            $"Send at most {RequestLimits.MaxHeadersBytes / 1024} KB of headers."),
        StatusCodes.Status505HttpVersionNotsupported => ("http-version-not-supported", "The HTTP version is not supported.", "Speak HTTP/1.1 (or HTTP/2 over TLS)."),
        _ => ($"http-{status}", "The server refused the request before reading it.", "The request is not one the server can read."),
    };

    private sealed record Duplex(PipeReader Input, PipeWriter Output) : IDuplexPipe;

    /// <summary>
    /// Holds what is written until the flush, when it is known whether it is a bare refusal, as long as it stays
    /// small (a bare head is under 200 bytes); anything larger goes straight through.
    /// </summary>
    private sealed class RefusalRewriter(PipeWriter inner, ConnectionContext connection, ILogger logger) : PipeWriter, IAsyncDisposable
    {
        private const int HeldAtMost = 1024;
        private readonly ArrayBufferWriter<byte> _held = new(256);
        private bool _passing;

        public override Memory<byte> GetMemory(int sizeHint = 0)
        {
            if (!_passing && _held.WrittenCount + Math.Max(sizeHint, 1) > HeldAtMost) PassOn();
            return _passing ? inner.GetMemory(sizeHint) : _held.GetMemory(sizeHint);
        }

        public override Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

        public override void Advance(int bytes)
        {
            if (_passing) inner.Advance(bytes);
            else _held.Advance(bytes);
        }

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
        {
            Release();
            return inner.FlushAsync(cancellationToken);
        }

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        // Kestrel's own writer answers these from the connection's, and System.Text.Json flushes by them.
        public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

        public override long UnflushedBytes => inner.UnflushedBytes + _held.WrittenCount;

        public override void Complete(Exception? exception = null)
        {
            Release();
            inner.Complete(exception);
        }

        public override async ValueTask CompleteAsync(Exception? exception = null)
        {
            Release();
            await inner.CompleteAsync(exception);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        /// <summary>Writes what is held to the connection, from here on without holding, until the next flush.</summary>
        private void PassOn()
        {
            if (_held.WrittenCount > 0) inner.Write(_held.WrittenSpan);
            _held.ResetWrittenCount();
            _passing = true;
        }

        /// <summary>At a flush: what is held goes out, as a problem when it is a bare refusal.</summary>
        private void Release()
        {
            if (!_passing && _held.WrittenCount > 0 && Rewrite(_held.WrittenSpan) is { } problem)
            {
                inner.Write(problem);
                _held.ResetWrittenCount();
            }

            PassOn();
            _passing = false;
        }

        private byte[]? Rewrite(ReadOnlySpan<byte> written)
        {
            var head = Encoding.ASCII.GetString(written);
            // "HTTP/1.1 400 Bad Request\r\n" ... "\r\n\r\n", nothing after the head.
            if (!head.StartsWith("HTTP/1.", StringComparison.Ordinal) || head.Length < 13 || head.IndexOf("\r\n\r\n", StringComparison.Ordinal) != head.Length - 4
                || !int.TryParse(head.AsSpan(9, 3), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var status) || status < 400)
            {
                return null;
            }

            var lines = head[..^4].Split("\r\n");
            bool Has(string line) => lines.Contains(line, StringComparer.OrdinalIgnoreCase);
            if (!Has("Content-Length: 0") || !Has("Connection: close") || lines.Any(l => l.StartsWith("Content-Type:", StringComparison.OrdinalIgnoreCase))) return null;

            var (code, title, detail) = Describe(status);
            var traceId = $"00-{ActivityTraceId.CreateRandom()}-{ActivitySpanId.CreateRandom()}-00";
            var problem = ProblemResponses.Details(status, code, title, detail, new Dictionary<string, string[]>());
            problem.Extensions["traceId"] = traceId;
            var body = JsonSerializer.SerializeToUtf8Bytes(problem);
            logger.LogWarning("Request on connection {ConnectionId} from {RemoteAddress} refused by the server before the service read it: answered {Status} {Code} (trace {TraceId})",
                connection.ConnectionId, connection.RemoteEndPoint?.ToString(), status, code, traceId);

            var rewritten = new StringBuilder();
            foreach (var line in lines.Where(l => !l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))) rewritten.Append(line).Append("\r\n");
            rewritten.Append("Content-Type: application/problem+json\r\n").Append("Content-Length: ").Append(body.Length).Append("\r\n\r\n");
            return [.. Encoding.ASCII.GetBytes(rewritten.ToString()), .. body];
        }
    }
}
