extern alias objectives;
extern alias scoring;
extern alias reporting;
using Google.Protobuf.Reflection;
using PerfPlatform.ServiceDefaults.Security;
using Xunit;
using ObjectivesAccess = objectives::PerfPlatform.Objectives.Grpc.ObjectivesAccess;
using ObjectivesV1 = objectives::PerfPlatform.Objectives.V1;
using ReportingAccess = reporting::PerfPlatform.Reporting.Grpc.ReportingAccess;
using ReportingV1 = reporting::PerfPlatform.Reporting.V1;
using ScoringAccess = scoring::PerfPlatform.Scoring.Grpc.ScoringAccess;
using ScoringV1 = scoring::PerfPlatform.Scoring.V1;

namespace PerfPlatform.AccessTests;

/// <summary>Every method of every service's descriptors has its rule: a new RPC cannot slip by (it would be refused anyway).</summary>
public sealed class AccessTableTests
{
    /// <summary>Each service's table with the descriptors of everything it serves, as its service project compiles them.</summary>
    public static IEnumerable<(string Service, RpcAccessTable Table, ServiceDescriptor[] Descriptors)> Services =>
    [
        ("Objectives", ObjectivesAccess.Table,
            [.. ObjectivesV1.ObjectivesReflection.Descriptor.Services, .. ObjectivesV1.WorkflowReflection.Descriptor.Services, .. ObjectivesV1.AuditReflection.Descriptor.Services]),
        ("Scoring", ScoringAccess.Table, [.. ScoringV1.ScoringReflection.Descriptor.Services]),
        ("Reporting", ReportingAccess.Table, [.. ReportingV1.ReportingReflection.Descriptor.Services]),
        ("health and reflection", PlatformAuthentication.DefaultTable(),
            [.. Grpc.Health.V1.HealthReflection.Descriptor.Services, .. Grpc.Reflection.V1Alpha.ReflectionReflection.Descriptor.Services]),
    ];

    [Fact]
    public void Every_method_of_every_descriptor_has_a_rule()
    {
        foreach (var (service, table, descriptors) in Services)
        {
            Assert.NotEmpty(descriptors.SelectMany(d => d.Methods));
            Assert.True(table.Missing(descriptors).Count == 0, $"{service}: no rule for {string.Join(", ", table.Missing(descriptors))}");
        }
    }

    [Fact]
    public void The_rules_follow_the_contract()
    {
        string Rule(RpcAccessTable t, string method) => t.Find(method)!.ToString();
        var o = ObjectivesAccess.Table;
        Assert.Equal("published year, or right plan.read", Rule(o, "/perf.objectives.v1.Objectives/GetYearTree"));
        Assert.Equal("published years only, or right plan.read", Rule(o, "/perf.objectives.v1.Objectives/ListYears"));
        Assert.Equal("right values.write", Rule(o, "/perf.objectives.v1.Objectives/SetRealization"));
        Assert.Equal("right plan.write", Rule(o, "/perf.objectives.v1.Objectives/ImportDocument"));
        Assert.Equal("right plan.read", Rule(o, "/perf.objectives.v1.Objectives/ExportYear"));
        Assert.Equal("right operations", Rule(o, "/perf.objectives.v1.Objectives/RepublishYear"));
        Assert.Equal("right year.validate", Rule(o, "/perf.objectives.v1.YearWorkflow/ReopenYear"));
        Assert.Equal("right audit.read", Rule(o, "/perf.objectives.v1.ObjectivesAudit/ListAuditRecords"));
        Assert.Equal("published year, or right plan.read", Rule(ScoringAccess.Table, "/perf.scoring.v1.Scoring/GetScorecard"));
        Assert.Equal("right plan.read", Rule(ScoringAccess.Table, "/perf.scoring.v1.Scoring/WatchRecalculations"));
        Assert.Equal("published year, or right plan.read", Rule(ReportingAccess.Table, "/perf.reporting.v1.Reporting/GetReport"));
        Assert.Equal("open", Rule(PlatformAuthentication.DefaultTable(), "/grpc.health.v1.Health/Check"));
        Assert.Equal("authenticated", Rule(PlatformAuthentication.DefaultTable(), "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo"));

        Assert.Equal(Rights.YearValidate, ObjectivesAccess.AdvanceRight(new ObjectivesV1.AdvanceYearRequest { To = ObjectivesV1.YearState.Validated }));
        foreach (var to in new[] { ObjectivesV1.YearState.Monitoring, ObjectivesV1.YearState.Final, ObjectivesV1.YearState.Published, ObjectivesV1.YearState.Unspecified })
            Assert.Equal(Rights.YearAdvance, ObjectivesAccess.AdvanceRight(new ObjectivesV1.AdvanceYearRequest { To = to }));
    }

    [Fact]
    public void A_table_refuses_a_method_its_service_does_not_have()
    {
        var table = new RpcAccessTable();
        Assert.Throws<ArgumentException>(() => table.Add(ScoringV1.Scoring.Descriptor, "DeleteEverything", RpcAccess.Open));
        Assert.Throws<ArgumentException>(() => RpcAccess.Right("plan.delete"));
    }
}
