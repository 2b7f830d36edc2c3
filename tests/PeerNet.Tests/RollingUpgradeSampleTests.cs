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
            var (exit, output, errors) = Run("--validators", "3", "--duration", "1.5", "--churn", "5000", "--out", chart);
            Assert.True(exit == 0, $"exit {exit}: {errors}\n{output}");
            Assert.Contains("naive", output);
            Assert.Contains("atomic", output);
            Assert.Contains($"Chart of drops over time written to {chart}", output);
            var svg = File.ReadAllText(chart);
            Assert.StartsWith("<svg", svg);
            System.Xml.Linq.XDocument.Parse(svg); // well-formed
            var atomicRow = output.Split('\n').Single(l => l.StartsWith("atomic ") && !l.Contains("failures"));
            var cells = atomicRow.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("0", cells[3]); // dropped at receiver
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
        foreach (var flag in new[] { "--validators", "--duration", "--churn", "--out", "--help" })
        {
            Assert.Contains(flag, output);
        }
    }
}
