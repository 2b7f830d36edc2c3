namespace PeerNet.Analyzers.Tests;

/// <summary>How a list value that survived the compiler's parser is split into entries.</summary>
public class ConfigurationListTests
{
    [Theory]
    [InlineData("", new string[0])]
    [InlineData("   ", new string[0])]
    [InlineData("M:A.B", new[] { "M:A.B" })]
    [InlineData("M:A.B, P:A.C,F:A.D", new[] { "M:A.B", "P:A.C", "F:A.D" })]
    [InlineData("M:A.B P:A.C\tF:A.D", new[] { "M:A.B", "P:A.C", "F:A.D" })]
    [InlineData(" , M:A.B ,, P:A.C , ", new[] { "M:A.B", "P:A.C" })]
    // Commas inside brackets belong to the ID; whitespace there is dropped.
    [InlineData("M:A.Send(System.String,System.Int32), M:A.B", new[] { "M:A.Send(System.String,System.Int32)", "M:A.B" })]
    [InlineData("M:A.Send(System.String, System.Int32) M:A.B", new[] { "M:A.Send(System.String,System.Int32)", "M:A.B" })]
    [InlineData("M:A.M(System.Collections.Generic.Dictionary{System.String,System.Int32},System.Int32[0:,0:])",
        new[] { "M:A.M(System.Collections.Generic.Dictionary{System.String,System.Int32},System.Int32[0:,0:])" })]
    // '|parameter' stays with its method, with or without spaces around '|'.
    [InlineData("M:A.Send(System.String,System.Int32)|proto, M:A.B|0", new[] { "M:A.Send(System.String,System.Int32)|proto", "M:A.B|0" })]
    [InlineData("M:A.Send(System.String, System.Int32) | proto M:A.B |0", new[] { "M:A.Send(System.String,System.Int32)|proto", "M:A.B|0" })]
    // An empty '|' does not swallow the next entry.
    [InlineData("M:A.B| M:A.C", new[] { "M:A.B|", "M:A.C" })]
    // An unclosed bracket ends where the next entry starts.
    [InlineData("M:A.B(System.String, M:A.C, P:A.D", new[] { "M:A.B(System.String", "M:A.C", "P:A.D" })]
    [InlineData("M:A.B(System.String M:A.C", new[] { "M:A.B(System.String", "M:A.C" })]
    public void Splits_at_commas_and_whitespace_outside_brackets(string value, string[] expected)
    {
        Assert.Equal(expected, ConfigurationList.Split(value));
    }
}
