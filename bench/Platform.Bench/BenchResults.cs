namespace PerfPlatform.Bench;

public sealed record BareResult(Summary MassTransit, Summary? RawConfirmed, Summary? RawUnconfirmed);

public sealed record E2eResult(
    string Database, double Rate, int Seconds, int Scheduled, int Failed, int Lost, Summary EndToEnd, Summary GrpcCall, Summary AfterCall,
    Summary? Idle, double BareP99, bool Pass);

public sealed record RecomputeResult(int Objectives, int Changes, Summary ApplyMicroseconds, double LoadMs, long PlanBytes, bool Pass);

/// <summary>What this run measured, for the closing summary.</summary>
public sealed class BenchResults
{
    public BareResult? Bare { get; set; }
    public E2eResult? E2e { get; set; }
    public RecomputeResult? Recompute { get; set; }

    public void PrintSummary()
    {
        var t = new Table("summary", "p50", "p99", "max", "count", "target", "result");
        if (Bare is { } b)
        {
            t.Row("bare MassTransit publish->consume (ms)", b.MassTransit.P50, b.MassTransit.P99, b.MassTransit.Max, b.MassTransit.Count, "(reference)", "");
            if (b.RawConfirmed is { } rc) t.Row("bare RabbitMQ.Client, confirms (ms)", rc.P50, rc.P99, rc.Max, rc.Count, "(reference)", "");
            if (b.RawUnconfirmed is { } ru) t.Row("bare RabbitMQ.Client, no confirms (ms)", ru.P50, ru.P99, ru.Max, ru.Count, "(reference)", "");
        }
        if (E2e is { } e)
        {
            t.Row($"e2e change->Recalculation, {e.Database} (ms)", e.EndToEnd.P50, e.EndToEnd.P99, e.EndToEnd.Max, e.EndToEnd.Count,
                "p99 < 25 ms, < 10x bare", e.Pass ? "PASS" : "FAIL");
            t.Row($"  ratio p99(e2e)/p99(bare)", "", Time.F(e.EndToEnd.P99 / e.BareP99, 1) + "x", "", "", "< 10x", "");
            t.Row($"  lost / failed of {e.Scheduled} scheduled", "", "", "", $"{e.Lost} / {e.Failed}", "0 / 0", "");
        }
        if (Recompute is { } r)
        {
            t.Row($"recompute Apply, {r.Objectives:N0} objectives (us)", r.ApplyMicroseconds.P50, r.ApplyMicroseconds.P99, r.ApplyMicroseconds.Max,
                r.ApplyMicroseconds.Count, "p99 < 1000 us", r.Pass ? "PASS" : "FAIL");
            t.Row($"  plan in memory (MB)", Time.F(r.PlanBytes / 1024.0 / 1024.0, 1), "", "", "", "", "");
        }
        t.Print("== Summary ==");
    }
}
