extern alias objectives;
extern alias scoring;
extern alias reporting;
using Google.Protobuf.Reflection;
using Grpc.Core;
using PerfPlatform.ServiceDefaults.Security;
using PerfPlatform.TestSupport;
using Xunit;
using ObjectivesAccess = objectives::PerfPlatform.Objectives.Grpc.ObjectivesAccess;
using ObjectivesV1 = PerfPlatform.Objectives.V1;
using ReportingAccess = reporting::PerfPlatform.Reporting.Grpc.ReportingAccess;
using ScoringAccess = scoring::PerfPlatform.Scoring.Grpc.ScoringAccess;

namespace PerfPlatform.AccessTests;

/// <summary>
/// Every RPC of every service, enumerated from the descriptors, against the real host process over HTTP/2, with real
/// tokens from the embedded provider (the demo users logged in, a machine client's credentials) and tokens made from
/// them: none, forged, expired, of the wrong audience or issuer; too few rights; a sector manager's own and another sector's
/// objective; the header x-perf-user; the audit trail's actor.
/// </summary>
public sealed class AccessTests(EmbeddedPlatform platform) : IClassFixture<EmbeddedPlatform>
{
    /// <summary>The services' methods (not health: open), from the descriptors the clients are built from.</summary>
    private static IEnumerable<MethodDescriptor> ServiceMethods =>
        new[]
        {
            ObjectivesV1.ObjectivesReflection.Descriptor, ObjectivesV1.WorkflowReflection.Descriptor, ObjectivesV1.AuditReflection.Descriptor,
            Scoring.V1.ScoringReflection.Descriptor, Reporting.V1.ReportingReflection.Descriptor,
            Grpc.Reflection.V1Alpha.ReflectionReflection.Descriptor,
        }.SelectMany(f => f.Services).SelectMany(s => s.Methods);

    private static IEnumerable<MethodDescriptor> HealthMethods => Grpc.Health.V1.HealthReflection.Descriptor.Services.SelectMany(s => s.Methods)
        .Where(m => !m.IsServerStreaming); // Watch streams until cancelled

    private static readonly string[] AnonymousListings = ["/perf.objectives.v1.Objectives/ListYears"];

    private static string Name(MethodDescriptor m) => $"/{m.Service.FullName}/{m.Name}";

    [Fact]
    public async Task Every_RPC_refuses_a_call_without_a_token()
    {
        Assert.True(ServiceMethods.Count() > 30);
        foreach (var method in ServiceMethods.Where(m => !AnonymousListings.Contains(Name(m))))
        {
            var status = await platform.CallAsync(method, new Metadata { { "x-perf-user", "admin" } });
            Assert.True(status.StatusCode == StatusCode.Unauthenticated, $"{Name(method)} without a token: {status}");
        }
        // Health stays open, for the probes.
        foreach (var method in HealthMethods)
            Assert.Equal(StatusCode.OK, (await platform.CallAsync(method, null)).StatusCode);
        // The one listing anonymous callers may call shows published years only.
        var years = await platform.Objectives.ListYearsAsync(new ObjectivesV1.ListYearsRequest());
        foreach (var y in years.Years)
            Assert.Equal(ObjectivesV1.YearState.Published,
                (await platform.Workflow.GetYearStateAsync(new ObjectivesV1.GetYearStateRequest { Year = y.Year }, EmbeddedPlatform.Bearer(platform.Admin))).State);
    }

    public static TheoryData<string> BadTokens => ["forged", "expired", "wrong audience", "wrong issuer", "not a JWT"];

    [Theory, MemberData(nameof(BadTokens))]
    public async Task Every_RPC_health_included_refuses_a_bad_token(string kind)
    {
        // Made from the administrator's real token: each refused for the one thing changed.
        var token = kind switch
        {
            "forged" => platform.Tampered.Forged(platform.Admin),
            "expired" => platform.Tampered.Expired(platform.Admin),
            "wrong audience" => platform.Tampered.WithAudience(platform.Admin, "another-api"),
            "wrong issuer" => platform.Tampered.WithIssuer(platform.Admin, "http://evil.example/"),
            _ => "not-a-token",
        };
        foreach (var method in ServiceMethods.Concat(HealthMethods))
        {
            var status = await platform.CallAsync(method, EmbeddedPlatform.Bearer(token));
            Assert.True(status.StatusCode == StatusCode.Unauthenticated, $"{Name(method)} with a token {kind}: {status}");
            Assert.StartsWith("the bearer token was refused", status.Detail);
        }
    }

    /// <summary>The methods whose rule needs a right other than plan.read, with that right (AdvanceYear's empty request: year.advance).</summary>
    private static IEnumerable<(string Method, string Right)> Writes =>
        ObjectivesAccess.Table.Concat(ScoringAccess.Table).Concat(ReportingAccess.Table)
            .Select(e => (e.Key, Rule: e.Value.ToString()))
            .Select(e => (e.Key, Right: e.Rule.StartsWith("right ", StringComparison.Ordinal) && !e.Rule[6..].Contains(' ') ? e.Rule[6..]
                : e.Key.EndsWith("/AdvanceYear", StringComparison.Ordinal) ? Rights.YearAdvance : null))
            .Where(e => e.Right is not null && e.Right != Rights.PlanRead)
            .Select(e => (e.Key, e.Right!));

    [Theory]
    [InlineData("viewer")]
    [InlineData("perf.read machine")]
    public async Task A_viewer_and_a_read_scoped_machine_read_and_cannot_write(string who)
    {
        var token = who == "viewer" ? platform.Viewer : platform.ReadMachine;
        var tree = await platform.Objectives.GetYearTreeAsync(new ObjectivesV1.GetYearTreeRequest { Year = 2023 }, EmbeddedPlatform.Bearer(token));
        Assert.Equal(10, tree.Areas.Count);
        Assert.True(Writes.Count() > 15);
        var methods = ServiceMethods.ToDictionary(Name);
        foreach (var (method, right) in Writes)
        {
            var status = await platform.CallAsync(methods[method], EmbeddedPlatform.Bearer(token));
            Assert.True(status.StatusCode == StatusCode.PermissionDenied, $"{method} as {who}: {status}");
            Assert.Contains($"requires the right '{right}'", status.Detail);
            Assert.Contains(Rights.Requirement(right), status.Detail);
        }
    }

    [Fact]
    public async Task A_sector_manager_sets_values_of_its_sectors_objectives_only_and_x_perf_user_changes_nothing()
    {
        var admin = EmbeddedPlatform.Bearer(platform.Admin);
        var own = await platform.Objectives.CreateOperationalObjectiveAsync(new ObjectivesV1.CreateOperationalObjectiveRequest
            { Year = 2023, StrategicObjectiveCode = "4.7", Title = "Benessere Economico: sportello imprese", Weight = 1 }, admin);
        var other = await platform.Objectives.CreateOperationalObjectiveAsync(new ObjectivesV1.CreateOperationalObjectiveRequest
            { Year = 2023, StrategicObjectiveCode = "4.7", Title = "Benessere Economico: mercati rionali", Weight = 1, Sectors = { "Settore 03", "Settore 05" } }, admin);
        // Strategic control assigns the objective to the demo sector manager's sector.
        await platform.Objectives.UpdateOperationalObjectiveAsync(new ObjectivesV1.UpdateOperationalObjectiveRequest
            { Id = own.Id, Sectors = { "Settore 08" }, ReplaceSectors = true }, EmbeddedPlatform.Bearer(platform.Control));

        // Its own sector's objective, with a header that tries to name someone else: the token names the actor.
        var manager = EmbeddedPlatform.Bearer(platform.SectorManager);
        manager.Add("x-perf-user", "mallory");
        var entry = await platform.Objectives.SetRealizationAsync(Value(own.Id, 80), manager);
        Assert.Equal(Dirigente, entry.RecordedBy);

        var refused = await Assert.ThrowsAsync<RpcException>(() => platform.Objectives.SetRealizationAsync(Value(other.Id, 80), manager).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.Contains(other.Id, refused.Status.Detail);
        Assert.Contains("'Settore 03', 'Settore 05'", refused.Status.Detail);
        Assert.Contains("'Settore 08'", refused.Status.Detail);
        // A strategic objective's own value has no sector: not a sector manager's.
        var strategic = await Assert.ThrowsAsync<RpcException>(() => platform.Objectives.SetRealizationAsync(new ObjectivesV1.SetRealizationRequest
        {
            StrategicObjective = new ObjectivesV1.StrategicObjectiveRef { Year = 2023, Code = "4.7" },
            Realization = new ObjectivesV1.Realization { Value = 90 }, AsOf = "2023-12-31",
        }, manager).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, strategic.StatusCode);
        // Nor the structure.
        var structure = await Assert.ThrowsAsync<RpcException>(() => platform.Objectives.UpdateOperationalObjectiveAsync(
            new ObjectivesV1.UpdateOperationalObjectiveRequest { Id = own.Id, Weight = 3 }, manager).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, structure.StatusCode);
        Assert.Contains("requires the right 'plan.write'", structure.Status.Detail);
        // The other sector's value is unchanged.
        var unchanged = await platform.Objectives.GetOperationalObjectiveAsync(new ObjectivesV1.GetOperationalObjectiveRequest { Id = other.Id }, admin);
        Assert.True(unchanged.Realization is null || unchanged.Realization.KindCase == ObjectivesV1.Realization.KindOneofCase.None);

        // The audit trail: the token's name and subject, whatever the header said.
        var records = await platform.Audit.ListAuditRecordsAsync(new ObjectivesV1.ListAuditRecordsRequest
            { Filter = new ObjectivesV1.AuditFilter { Year = 2023, Objective = "4.7" }, PageSize = 500 }, admin);
        var set = Assert.Single(records.Records, r => r.Entity == own.Id && r.Field == "realization");
        Assert.Equal((Dirigente, TamperedTokens.Claim(platform.SectorManager, "sub")), (set.Actor, set.ActorSubject));
        Assert.DoesNotContain(records.Records, r => r.Actor == "mallory");
        var created = Assert.Single(records.Records, r => r.Entity == own.Id && r.Change == "objective-created");
        Assert.Equal("Amministratore (demo)", created.Actor);
        var assigned = Assert.Single(records.Records, r => r.Entity == own.Id && r.Field == "sectors");
        Assert.Equal("Controllo strategico (demo)", assigned.Actor);
    }

    [Fact]
    public async Task The_audit_trail_is_read_by_strategic_control_oiv_and_admin_only()
    {
        var request = new ObjectivesV1.ListAuditRecordsRequest { Filter = new ObjectivesV1.AuditFilter { Year = 2023 }, PageSize = 1 };
        foreach (var token in new[] { platform.Admin, platform.Control, platform.Oiv })
            await platform.Audit.ListAuditRecordsAsync(request, EmbeddedPlatform.Bearer(token));
        var refused = await Assert.ThrowsAsync<RpcException>(() => platform.Audit.ListAuditRecordsAsync(request, EmbeddedPlatform.Bearer(platform.SectorManager)).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.Contains("requires the right 'audit.read' (roles strategic-control, oiv, admin; no scope)", refused.Status.Detail);
    }

    [Fact]
    public async Task Reflection_needs_a_token_and_Reporting_reads_the_other_services_with_the_hosts_cached_client_token()
    {
        var reflection = new Grpc.Reflection.V1Alpha.ServerReflection.ServerReflectionClient(platform.Host.Channel);
        using (var call = reflection.ServerReflectionInfo(EmbeddedPlatform.Bearer(platform.Viewer)))
        {
            await call.RequestStream.WriteAsync(new Grpc.Reflection.V1Alpha.ServerReflectionRequest { ListServices = "" });
            await call.RequestStream.CompleteAsync();
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
            Assert.Contains(call.ResponseStream.Current.ListServicesResponse.Service, s => s.Name == "perf.scoring.v1.Scoring");
        }
        // Reporting holds 2023 only by reading Objectives and Scoring over gRPC (with the client "embedded"'s token).
        var reports = await Probe.UntilAsync(async () => await platform.Reporting.ListReportsAsync(new Reporting.V1.ListReportsRequest { Year = 2023 },
            EmbeddedPlatform.Bearer(platform.Viewer)), r => r.Reports.Count > 0, "the reports of 2023");
        Assert.Equal(2023, reports.Year);
        Assert.InRange(platform.ServiceTokensObtained, 1, 2); // asked once, then kept until shortly before it expires
    }

    /// <summary>The demo sector manager's name (services/Identity's catalogue), as its token's name claim carries it.</summary>
    private const string Dirigente = "Dirigente Settore 08 (demo)";

    private static ObjectivesV1.SetRealizationRequest Value(string operationalId, double value) => new()
        { OperationalObjectiveId = operationalId, Realization = new ObjectivesV1.Realization { Value = value }, AsOf = "2023-12-31", Note = "dato del settore" };
}
