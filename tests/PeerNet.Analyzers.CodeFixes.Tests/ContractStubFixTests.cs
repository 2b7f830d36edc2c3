namespace PeerNet.Analyzers.CodeFixes.Tests;

/// <summary>
/// The fixes depend on the documented contract only (location, additional locations, <see cref="DiagnosticProperties"/>),
/// not on how precisely the shipped analyzers track values: cases of the rule tables, rerun against
/// <see cref="ContractStubAnalyzer"/>, which reports PN0001/PN0002/PN0003 by the contract's letter from syntax,
/// must give the same output. The cases are not written again here.
/// </summary>
public class ContractStubFixTests
{
    [Theory]
    [InlineData("LocalFromGetPreferredProtocolForPeer_BecomesTrySendWithThrow")]
    [InlineData("FieldClient_SenderLocal_InlineRead_CommentsKept")]
    [InlineData("ForeachSelection_AssignedLocal_UsesTheWalkedList")]
    public Task PN0001(string name) => PN0001FixTests.Cases[name].ValidateWithContractStubAsync();

    [Theory]
    [InlineData("InsideLambda_ExpressionBody_UsesThrowingSendToPeer")]
    [InlineData("Rpc_ExplicitPreferences_UsesPreferencesOverload_NoToken")]
    public Task PN0001SendShapes(string name) => PN0001SendShapeFixTests.Cases[name].ValidateWithContractStubAsync();

    [Theory]
    [InlineData("NoClientInReach_NoFix")]
    [InlineData("UserTypeNamedNetworkClient_NoFix")]
    public Task PN0001NoFix(string name) => PN0001NoFixTests.Cases[name].ValidateWithContractStubAsync();

    [Fact]
    public Task PN0001FixAll() => PN0001FixAllTests.Cases["FixAll_InDocument_ThreeDiagnostics_NoCollisions"].ValidateWithContractStubAsync();

    [Theory]
    [InlineData("Guard_IsUnwrapped_DeadSnapshotLocalsRemoved_CommentKept")]
    [InlineData("EarlyExitGuard_IsRemoved")]
    public Task PN0002(string name) => PN0002FixTests.Cases[name].ValidateWithContractStubAsync();

    [Theory]
    [InlineData("Throw_DiscardedOut_GetsNamedFailure_CommentsKept")]
    [InlineData("Return_BoolMethodMidway_ReturnsFalseOnFailure_DiscardAssignment")]
    [InlineData("FixAll_TwoDiscardsInOneMethod_Throw")]
    public Task PN0003(string name) => PN0003FixTests.Cases[name].ValidateWithContractStubAsync();
}
