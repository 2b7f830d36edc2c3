using System.Diagnostics;
using System.Text;

namespace PeerNet.Package.Tests.Infrastructure;

/// <summary>The outcome of one command: exit code and everything it printed.</summary>
public sealed record ToolResult(string CommandLine, string WorkingDirectory, int ExitCode, string StandardOutput, string StandardError, TimeSpan Elapsed)
{
    /// <summary>Everything, ready to put in an assertion message.</summary>
    public string Describe() =>
        $"`{CommandLine}` in {WorkingDirectory} exited {ExitCode} after {Elapsed.TotalSeconds:F1} s.{Environment.NewLine}" +
        $"--- stdout ---{Environment.NewLine}{StandardOutput}{Environment.NewLine}--- stderr ---{Environment.NewLine}{StandardError}";
}

/// <summary>Runs the .NET SDK's command-line tools the way a user or CI would, with bounded time.</summary>
public static class ProcessRunner
{
    /// <summary>Environment for every child: no telemetry banners, English messages, no lingering build nodes.</summary>
    internal static void ApplyDefaultEnvironment(ProcessStartInfo info)
    {
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        info.Environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
        // Reused MSBuild nodes and the MSBuild server outlive the command and keep its output pipes open.
        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        info.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        info.Environment["MSBUILDTERMINALLOGGER"] = "off";
        // The test host's own settings must not leak into the commands under test.
        info.Environment.Remove("MSBuildExtensionsPath");
        info.Environment.Remove("MSBuildSDKsPath");
        info.Environment.Remove("MSBUILD_EXE_PATH");
        info.Environment.Remove("VSTEST_HOST_DEBUG");
    }

    public static ToolResult Dotnet(string workingDirectory, TimeSpan timeout, params string[] arguments) =>
        Run("dotnet", arguments, workingDirectory, timeout);

    public static ToolResult Run(string fileName, IReadOnlyList<string> arguments, string workingDirectory, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        ApplyDefaultEnvironment(info);
        var commandLine = fileName + " " + string.Join(" ", arguments.Select(a => a.Contains(' ') ? $"\"{a}\"" : a));

        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var stdoutClosed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stderrClosed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stopwatch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) { stdoutClosed.TrySetResult(); return; }
            lock (stdout) { stdout.AppendLine(e.Data); }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) { stderrClosed.TrySetResult(); return; }
            lock (stderr) { stderr.AppendLine(e.Data); }
        };

        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start `{commandLine}`.");
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        if (!process.WaitForExit(timeout))
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            process.WaitForExit(TimeSpan.FromSeconds(10));
            string partialOut, partialErr;
            lock (stdout) { partialOut = stdout.ToString(); }
            lock (stderr) { partialErr = stderr.ToString(); }
            throw new TimeoutException(
                $"`{commandLine}` in {workingDirectory} did not finish within {timeout.TotalSeconds:F0} s and was killed." +
                $"{Environment.NewLine}--- stdout ---{Environment.NewLine}{partialOut}{Environment.NewLine}--- stderr ---{Environment.NewLine}{partialErr}");
        }

        // A grandchild (a build server) may hold the pipes open after the command exits: bounded wait for the rest.
        Task.WaitAll(new[] { stdoutClosed.Task, stderrClosed.Task }, TimeSpan.FromSeconds(10));
        stopwatch.Stop();
        string outText, errText;
        lock (stdout) { outText = stdout.ToString(); }
        lock (stderr) { errText = stderr.ToString(); }
        return new ToolResult(commandLine, workingDirectory, process.ExitCode, outText, errText, stopwatch.Elapsed);
    }
}
