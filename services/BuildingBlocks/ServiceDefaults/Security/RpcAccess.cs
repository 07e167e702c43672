using System.Collections;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;

namespace PerfPlatform.ServiceDefaults.Security;

/// <summary>
/// Whether a year is published, as a service knows it from its own data (Objectives its plan, Scoring and Reporting
/// the state the plan's events carried): anonymous callers read published years only. Each service has its own
/// implementation type, so several services in one process (the embedded host) keep theirs apart.
/// </summary>
public interface IPublishedYears
{
    Task<bool> IsPublishedAsync(int year, CancellationToken ct);
}

/// <summary>The rule of one RPC in a service's access table (<see cref="RpcAccessTable"/>).</summary>
public abstract class RpcAccess
{
    /// <summary>Anyone, even without a token (health). A token that is sent must still be valid.</summary>
    public static RpcAccess Open { get; } = new OpenRule();

    /// <summary>Any valid token, whatever its rights (gRPC reflection).</summary>
    public static RpcAccess Authenticated { get; } = new AuthenticatedRule();

    /// <summary>A valid token that grants <paramref name="right"/>.</summary>
    public static RpcAccess Right(string right) => new RightRule(Check(right));

    /// <summary>
    /// A right that depends on the request (e.g. AdvanceYear: validating needs year.validate, the other steps year.advance);
    /// <paramref name="description"/> says how, for the table's readers and tests.
    /// </summary>
    public static RpcAccess RightOf<TRequest>(Func<TRequest, string> right, string description) where TRequest : class =>
        new RequestRightRule(r => r is TRequest t ? Check(right(t)) : null, description);

    /// <summary>
    /// Anonymous callers may read the year the request names when it is published (<typeparamref name="TYears"/>);
    /// otherwise a valid token with <paramref name="right"/>.
    /// </summary>
    public static RpcAccess PublishedYearOrRight<TRequest, TYears>(Func<TRequest, int> year, string right)
        where TRequest : class where TYears : IPublishedYears =>
        new PublishedYearRule(r => r is TRequest t ? year(t) : null, typeof(TYears), Check(right));

    /// <summary>
    /// A listing of years: anonymous callers are let through, and the service lists them the published years only
    /// (it asks <see cref="Caller.Has"/> for <paramref name="right"/>); a token must grant <paramref name="right"/>.
    /// </summary>
    public static RpcAccess PublishedYearsOrRight(string right) => new PublishedListingRule(Check(right));

    /// <summary>Null: allowed. Otherwise the refusal.</summary>
    internal abstract ValueTask<RpcException?> CheckAsync(Caller caller, object? request, IServiceProvider services, CancellationToken ct);

    /// <summary>For the table's readers: "open", "right plan.read", ...</summary>
    public abstract override string ToString();

    private static string Check(string right)
    {
        _ = Rights.RolesGranting(right); // throws on an unknown right
        return right;
    }

    internal static RpcException Unauthenticated(string detail) => new(new Status(StatusCode.Unauthenticated, detail));

    internal static RpcException Denied(Caller caller, string right) =>
        new(new Status(StatusCode.PermissionDenied, $"{Rights.Requirement(right)}; the token of {caller.Describe()} does not grant it"));

    private static RpcException? Require(Caller caller, string right) =>
        caller.IsAnonymous ? Unauthenticated($"no bearer token: this call {Rights.Requirement(right)}")
        : caller.Has(right) ? null
        : Denied(caller, right);

    private sealed class OpenRule : RpcAccess
    {
        internal override ValueTask<RpcException?> CheckAsync(Caller caller, object? request, IServiceProvider services, CancellationToken ct) => new((RpcException?)null);
        public override string ToString() => "open";
    }

    private sealed class AuthenticatedRule : RpcAccess
    {
        internal override ValueTask<RpcException?> CheckAsync(Caller caller, object? request, IServiceProvider services, CancellationToken ct) =>
            new(caller.IsAnonymous ? Unauthenticated("no bearer token: this call needs a valid token") : null);
        public override string ToString() => "authenticated";
    }

    private sealed class RightRule(string right) : RpcAccess
    {
        internal override ValueTask<RpcException?> CheckAsync(Caller caller, object? request, IServiceProvider services, CancellationToken ct) =>
            new(Require(caller, right));
        public override string ToString() => $"right {right}";
    }

    private sealed class RequestRightRule(Func<object?, string?> right, string description) : RpcAccess
    {
        internal override ValueTask<RpcException?> CheckAsync(Caller caller, object? request, IServiceProvider services, CancellationToken ct) =>
            new(right(request) is { } r
                ? Require(caller, r)
                : new RpcException(new Status(StatusCode.PermissionDenied, "the right this call needs depends on its request, which this kind of call does not carry")));
        public override string ToString() => description;
    }

    private sealed class PublishedYearRule(Func<object?, int?> year, Type years, string right) : RpcAccess
    {
        internal override async ValueTask<RpcException?> CheckAsync(Caller caller, object? request, IServiceProvider services, CancellationToken ct)
        {
            if (!caller.IsAnonymous) return Require(caller, right);
            if (year(request) is { } y && await ((IPublishedYears)services.GetRequiredService(years)).IsPublishedAsync(y, ct)) return null;
            return Unauthenticated($"no bearer token: anonymous callers read published years only, and year {year(request)?.ToString() ?? "?"} is not published; " +
                                   $"reading it {Rights.Requirement(right)}");
        }

        public override string ToString() => $"published year, or right {right}";
    }

    private sealed class PublishedListingRule(string right) : RpcAccess
    {
        internal override ValueTask<RpcException?> CheckAsync(Caller caller, object? request, IServiceProvider services, CancellationToken ct) =>
            new(caller.IsAnonymous ? null : Require(caller, right));
        public override string ToString() => $"published years only, or right {right}";
    }
}

/// <summary>
/// A service's access table: the rule of each of its RPCs, by full method name (<c>/package.Service/Method</c>).
/// Declared next to the service's gRPC adapters and registered with <see cref="PlatformAuthentication.AddRpcAccess"/>; an
/// RPC missing from every registered table is refused (deny by default), so a new RPC cannot slip by.
/// </summary>
public sealed class RpcAccessTable : IEnumerable<KeyValuePair<string, RpcAccess>>
{
    private readonly Dictionary<string, RpcAccess> _rules = new(StringComparer.Ordinal);

    /// <summary>The rule of <paramref name="method"/> of <paramref name="service"/>; the method must exist in the descriptor.</summary>
    public void Add(ServiceDescriptor service, string method, RpcAccess rule)
    {
        if (service.FindMethodByName(method) is null)
            throw new ArgumentException($"{service.FullName} has no method {method}", nameof(method));
        if (!_rules.TryAdd(FullName(service, method), rule))
            throw new ArgumentException($"{service.FullName}/{method} has two rules", nameof(method));
    }

    /// <summary>Every method of <paramref name="service"/> gets <paramref name="rule"/> (health, reflection).</summary>
    public void Add(ServiceDescriptor service, RpcAccess rule)
    {
        foreach (var m in service.Methods) Add(service, m.Name, rule);
    }

    public RpcAccess? Find(string fullMethod) => _rules.GetValueOrDefault(fullMethod);

    /// <summary>The methods of <paramref name="services"/> this table has no rule for (a test asserts none).</summary>
    public IReadOnlyList<string> Missing(IEnumerable<ServiceDescriptor> services) =>
        services.SelectMany(s => s.Methods.Select(m => FullName(s, m.Name))).Where(m => !_rules.ContainsKey(m)).ToList();

    public static string FullName(ServiceDescriptor service, string method) => $"/{service.FullName}/{method}";

    public IEnumerator<KeyValuePair<string, RpcAccess>> GetEnumerator() => _rules.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
