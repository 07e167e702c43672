using Google.Protobuf;

namespace PerfPlatform.Scoring.V1;

public sealed partial class Scorecard
{
    /// <summary>
    /// The same scorecard with its fields held already encoded, for an answer served many times over
    /// (<see cref="Application.ScorecardReadCache"/>). Writing it copies those bytes: nothing is measured or encoded
    /// again, where a 2023 scorecard (13 KB, 55 titles) cost a quarter of Scoring's CPU per GetScorecard to encode.
    /// <para>
    /// The fields go into the message's unknown-field set, which protobuf writes back verbatim, so the bytes on the wire
    /// are the original message's (field by field, in order). In this process its properties read as empty: it is only
    /// for returning from the RPC.
    /// </para>
    /// </summary>
    public static Scorecard Encoded(Scorecard card)
    {
        var input = new CodedInputStream(card.ToByteArray());
        UnknownFieldSet? fields = null;
        while (input.ReadTag() != 0) fields = UnknownFieldSet.MergeFieldFrom(fields, input);
        return new Scorecard { _unknownFields = fields };
    }
}
