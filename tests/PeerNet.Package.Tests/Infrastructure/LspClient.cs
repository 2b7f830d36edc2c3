using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PeerNet.Package.Tests.Infrastructure;

/// <summary>
/// A minimal JSON-RPC 2.0 / Language Server Protocol client over a child process's stdio
/// (Content-Length framing). It answers the server's requests the way an editor would: workspace
/// configuration (section "csharp" gets the given settings), capability registration and progress creation.
/// Everything the server says (stderr, log and show messages, requests) is kept for failure messages.
/// </summary>
internal sealed class LspClient : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Stream _input;
    private readonly Stream _output;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentDictionary<long, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly StringBuilder _log = new();
    private readonly JsonObject _csharpSettings;
    private readonly Task _readLoop;
    private readonly CancellationTokenSource _stop = new();
    private long _nextId;

    private LspClient(Process process, JsonObject csharpSettings)
    {
        _process = process;
        _input = process.StandardInput.BaseStream;
        _output = process.StandardOutput.BaseStream;
        _csharpSettings = csharpSettings;
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                AppendLog("stderr: " + e.Data);
            }
        };
        process.BeginErrorReadLine();
        _readLoop = Task.Run(ReadLoopAsync);
    }

    /// <summary>Everything the server said so far.</summary>
    public string Log
    {
        get { lock (_log) { return _log.ToString(); } }
    }

    public bool HasExited => _process.HasExited;

    public static LspClient Start(string fileName, IReadOnlyList<string> arguments, string workingDirectory, JsonObject csharpSettings)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        ProcessRunner.ApplyDefaultEnvironment(info);
        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        return new LspClient(process, csharpSettings);
    }

    public async Task<JsonElement> RequestAsync(string method, JsonNode? parameters, TimeSpan timeout)
    {
        var id = Interlocked.Increment(ref _nextId);
        var response = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = response;
        await SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = parameters });
        var finished = await Task.WhenAny(response.Task, Task.Delay(timeout), _readLoop);
        if (finished != response.Task)
        {
            _pending.TryRemove(id, out _);
            var why = finished == _readLoop ? "the server closed its output" : $"no answer within {timeout.TotalSeconds:F0} s";
            throw new InvalidOperationException($"LSP request {method} failed: {why}.{Environment.NewLine}{Log}");
        }

        var message = await response.Task;
        if (message.TryGetProperty("error", out var error))
        {
            throw new LspErrorException(method, error.GetRawText(), Log);
        }

        return message.TryGetProperty("result", out var result) ? result.Clone() : default;
    }

    public Task NotifyAsync(string method, JsonNode? parameters) =>
        SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["method"] = method, ["params"] = parameters });

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                await RequestAsync("shutdown", null, TimeSpan.FromSeconds(10));
                await NotifyAsync("exit", null);
                await _process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException or IOException or LspErrorException)
        {
            AppendLog("shutdown: " + e.Message);
        }
        finally
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }

            _stop.Cancel();
            _process.Dispose();
        }
    }

    private void AppendLog(string line)
    {
        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    private async Task SendAsync(JsonObject message)
    {
        var body = Encoding.UTF8.GetBytes(message.ToJsonString());
        var header = Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n");
        await _writeLock.WaitAsync();
        try
        {
            await _input.WriteAsync(header);
            await _input.WriteAsync(body);
            await _input.FlushAsync();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var length = await ReadHeadersAsync();
                if (length < 0)
                {
                    AppendLog("server output closed");
                    return;
                }

                var body = new byte[length];
                await _output.ReadExactlyAsync(body);
                using var document = JsonDocument.Parse(body);
                await DispatchAsync(document.RootElement.Clone());
            }
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or ObjectDisposedException or JsonException)
        {
            AppendLog("read loop ended: " + e.Message);
        }
    }

    /// <summary>Reads the header block; returns Content-Length, or -1 at end of stream.</summary>
    private async Task<int> ReadHeadersAsync()
    {
        var contentLength = -1;
        var line = new StringBuilder();
        var buffer = new byte[1];
        while (true)
        {
            if (await _output.ReadAsync(buffer) == 0)
            {
                return -1;
            }

            if (buffer[0] != (byte)'\n')
            {
                if (buffer[0] != (byte)'\r')
                {
                    line.Append((char)buffer[0]);
                }

                continue;
            }

            if (line.Length == 0)
            {
                if (contentLength < 0)
                {
                    throw new IOException("LSP message without Content-Length header.");
                }

                return contentLength;
            }

            var text = line.ToString();
            line.Clear();
            if (text.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                contentLength = int.Parse(text["Content-Length:".Length..].Trim());
            }
        }
    }

    private async Task DispatchAsync(JsonElement message)
    {
        var hasMethod = message.TryGetProperty("method", out var methodElement);
        var hasId = message.TryGetProperty("id", out var id);
        if (!hasMethod)
        {
            if (hasId && id.ValueKind == JsonValueKind.Number && _pending.TryRemove(id.GetInt64(), out var waiter))
            {
                waiter.TrySetResult(message);
            }

            return;
        }

        var method = methodElement.GetString();
        message.TryGetProperty("params", out var parameters);
        if (!hasId)
        {
            if (method is "window/logMessage" or "window/showMessage")
            {
                AppendLog($"{method}: {parameters.GetProperty("message").GetString()}");
            }
            else if (method != "$/progress" && method != "textDocument/publishDiagnostics")
            {
                AppendLog($"notification {method}");
            }

            return;
        }

        AppendLog($"server request {method}: {(parameters.ValueKind == JsonValueKind.Undefined ? "" : parameters.GetRawText())}");
        JsonNode? result = null;
        if (method == "workspace/configuration")
        {
            var items = new JsonArray();
            foreach (var item in parameters.GetProperty("items").EnumerateArray())
            {
                var section = item.TryGetProperty("section", out var s) ? s.GetString() : null;
                items.Add(section == "csharp" ? _csharpSettings.DeepClone() : null);
            }

            result = items;
        }

        await SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = JsonNode.Parse(id.GetRawText()), ["result"] = result });
    }
}

/// <summary>The server answered a request with an error.</summary>
internal sealed class LspErrorException(string method, string error, string log)
    : Exception($"LSP request {method} answered with error {error}.{Environment.NewLine}{log}")
{
    public string Error { get; } = error;
}
