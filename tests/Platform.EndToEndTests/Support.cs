using System.Collections.Concurrent;
using Google.Protobuf;
using Grpc.Core;
using PerfPlatform.TestSupport;
using ObjectivesV1 = PerfPlatform.Objectives.V1;
using ScoringV1 = PerfPlatform.Scoring.V1;

namespace PerfPlatform.EndToEndTests;

internal static class Documents
{
    public static string Lecce2023 => LecceDocuments.Relazione2023;

    public static string LecceFor(int year) => LecceDocuments.RelazioneFor(year);

    public static async Task<ObjectivesV1.ImportDocumentResponse> ImportAsync(this ObjectivesV1.Objectives.ObjectivesClient client, string text) =>
        await client.ImportDocumentAsync(new ObjectivesV1.ImportDocumentRequest
        {
            Content = ByteString.CopyFromUtf8(text), Format = ObjectivesV1.DocumentFormat.RelazioneText, FileName = "relazione.txt",
        });

    public static async Task<ObjectivesV1.RealizationEntry> SetAsync(this ObjectivesV1.Objectives.ObjectivesClient client, int year, string code, double value) =>
        await client.SetRealizationAsync(new ObjectivesV1.SetRealizationRequest
        {
            StrategicObjective = new ObjectivesV1.StrategicObjectiveRef { Year = year, Code = code },
            Realization = new ObjectivesV1.Realization { Value = value }, AsOf = $"{year}-12-31",
        });

    /// <summary>Polls the scorecard until it holds (the scores are eventually consistent with the plan).</summary>
    public static Task<ScoringV1.Scorecard> ScorecardWhenAsync(this ScoringV1.Scoring.ScoringClient client, int year, Func<ScoringV1.Scorecard, bool> holds, string what) =>
        Probe.UntilAsync(async () => await client.GetScorecardAsync(new ScoringV1.GetScorecardRequest { Year = year }), holds, what);

    public static double? Area(this ScoringV1.Scorecard card, int number) =>
        card.Areas.Single(a => a.Number == number).Computed is { HasValue: true } s ? s.Value : null;

    public static double? Entity(this ScoringV1.Scorecard card) => card.EntityLevel.HasValue ? card.EntityLevel.Value : null;
}

/// <summary>A subscriber to Scoring's recalculation stream, collecting what arrives in the background.</summary>
internal sealed class RecalculationWatch : IAsyncDisposable
{
    private readonly AsyncServerStreamingCall<ScoringV1.Recalculation> _call;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reader;
    public ConcurrentQueue<ScoringV1.Recalculation> Received { get; } = new();

    private RecalculationWatch(AsyncServerStreamingCall<ScoringV1.Recalculation> call)
    {
        _call = call;
        _reader = Task.Run(async () =>
        {
            try
            {
                await foreach (var r in call.ResponseStream.ReadAllAsync(_stop.Token)) Received.Enqueue(r);
            }
            catch (Exception) when (_stop.IsCancellationRequested) { }
            catch (RpcException) { }
        });
    }

    public static async Task<RecalculationWatch> StartAsync(ScoringV1.Scoring.ScoringClient client, int year)
    {
        var call = client.WatchRecalculations(new ScoringV1.WatchRecalculationsRequest { Year = year });
        await call.ResponseHeadersAsync; // subscribed
        return new RecalculationWatch(call);
    }

    public Task<ScoringV1.Recalculation> ForPlanVersionAsync(long planVersion) =>
        Probe.UntilAsync(() => Task.FromResult(Received.FirstOrDefault(r => r.PlanVersion == planVersion)), r => r is not null,
            $"the recalculation of plan version {planVersion} on the stream")!;

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _call.Dispose();
        await _reader;
    }
}
