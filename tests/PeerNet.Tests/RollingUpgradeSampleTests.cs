namespace PeerNet.Tests;

/// <summary>Runs the RollingUpgrade demo in-process, briefly, so that the README's demo keeps working.</summary>
[Collection(SerialCollection.Name)]
public class RollingUpgradeSampleTests
{
    private static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var (oldOut, oldErr) = (Console.Out, Console.Error);
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        Console.SetOut(stdout);
        Console.SetError(stderr);
        try
        {
            var exit = RollingUpgrade.Program.Main(args);
            return (exit, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
        }
    }

    [Fact]
    public void A_short_run_accounts_for_every_message_and_writes_the_chart()
    {
        var chart = Path.Combine(Path.GetTempPath(), $"peernet-drops-{Guid.NewGuid():N}.svg");
        try
        {
            var (exit, output, errors) = Run("--validators", "3", "--duration", "3", "--churn", "5000", "--out", chart);
            Assert.True(exit == 0, $"exit {exit}: {errors}\n{output}");
            Assert.Contains($"Chart of drops over time written to {chart}", output);
            var svg = File.ReadAllText(chart);
            Assert.StartsWith("<svg", svg);
            System.Xml.Linq.XDocument.Parse(svg); // well-formed
            Assert.Contains("checked (IsCurrent, then SendTo)", svg);

            // The summary table comes first (sent, delivered, dropped at receiver, dropped in queue, failed), then
            // the drops per upgrade window (one cell per validator).
            var lines = output.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
            long[] Row(string path, int skip) => lines.Where(l => l.StartsWith(path + " ") && !l.Contains("failures")).Skip(skip).First()
                .Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(c => long.Parse(c, System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            foreach (var path in new[] { "naive", "checked", "atomic" })
            {
                var row = Row(path, 0);
                Assert.Equal(5, row.Length);
                Assert.Equal(row[0], row[1] + row[2] + row[3] + row[4]);
                Assert.Equal(3, Row(path, 1).Length);
            }

            Assert.Equal(0, Row("atomic", 0)[2]); // dropped at receiver
            Assert.All(Row("atomic", 1), d => Assert.Equal(0, d));

            // Raw sends are routed when dequeued: the naive path drops during every validator's upgrade window, and
            // a version check before the send does not stop it.
            Assert.All(Row("naive", 1), d => Assert.True(d > 0, output));
            Assert.True(Row("checked", 0)[2] > 0, output);
        }
        finally
        {
            File.Delete(chart);
        }
    }

    [Fact]
    public void Over_authenticated_tcp_the_same_three_paths_account_for_every_message_and_the_atomic_path_drops_none()
    {
        var chart = Path.Combine(Path.GetTempPath(), $"peernet-drops-{Guid.NewGuid():N}.svg");
        try
        {
            var (exit, output, errors) = Run("--transport", "tcp", "--validators", "3", "--duration", "2", "--out", chart);
            Assert.True(exit == 0, $"exit {exit}: {errors}\n{output}");
            Assert.Contains("mutually authenticated (TLS 1.3", output);
            var lines = output.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
            foreach (var path in new[] { "naive", "checked", "atomic" })
            {
                var row = lines.First(l => l.StartsWith(path + " ") && !l.Contains("failures"))
                    .Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                    .Select(c => long.Parse(c, System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
                Assert.Equal(5, row.Length);
                Assert.True(row[0] > 0, output);
                Assert.Equal(row[0], row[1] + row[2] + row[3] + row[4]);
                if (path == "atomic")
                {
                    Assert.Equal(0, row[2]);
                }
            }
        }
        finally
        {
            File.Delete(chart);
        }
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("--validators", "1")]
    [InlineData("--validators", "2.5")]
    [InlineData("--duration")]
    [InlineData("--churn", "fast")]
    [InlineData("--out", " ")]
    [InlineData("--transport", "udp")]
    public void A_bad_option_exits_2_with_a_clear_error(params string[] args)
    {
        var (exit, _, errors) = Run(args);
        Assert.Equal(2, exit);
        Assert.StartsWith("error: ", errors);
        Assert.Contains(args[0], errors);
    }

    [Fact]
    public void Help_lists_the_options_and_exits_0()
    {
        var (exit, output, _) = Run("--help");
        Assert.Equal(0, exit);
        foreach (var flag in new[] { "--validators", "--duration", "--churn", "--transport", "--out", "--help" })
        {
            Assert.Contains(flag, output);
        }
    }
}
