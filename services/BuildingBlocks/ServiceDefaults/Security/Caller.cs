using System.Security.Claims;
using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace PerfPlatform.ServiceDefaults.Security;

public enum CallerKind
{
    /// <summary>No token.</summary>
    Anonymous,
    /// <summary>A valid token of a person or a machine client.</summary>
    Authenticated,
    /// <summary><c>Auth:Disabled=true</c>: every call, with every right.</summary>
    System,
}

/// <summary>
/// Who calls, as <see cref="RpcAccessInterceptor"/> found it in the bearer token: subject, name, client, roles, sectors,
/// scopes and the rights they grant (<see cref="Rights"/>). Read it with <see cref="CallerExtensions.GetCaller(ServerCallContext)"/>.
/// </summary>
public sealed record Caller(
    CallerKind Kind,
    string Name,
    string? Subject,
    string? ClientId,
    IReadOnlyList<string> Roles,
    IReadOnlyList<string> Sectors,
    IReadOnlyList<string> Scopes,
    RightSet Rights)
{
    public static Caller Anonymous { get; } = new(CallerKind.Anonymous, "anonymous", null, null, [], [], [], RightSet.None);
    public static Caller System { get; } = new(CallerKind.System, "system", null, null, [], [], [], RightSet.Everything);

    public bool IsAnonymous => Kind == CallerKind.Anonymous;
    public bool Has(string right) => Rights.Has(right);

    /// <summary>
    /// The sectors the caller may write values for; null when it may write values for every objective (or has no
    /// <see cref="Security.Rights.ValuesWrite"/> at all, which the access table already refused).
    /// </summary>
    public IReadOnlyList<string>? ValueSectors => Rights.ValuesWriteOnOwnSectorsOnly ? Sectors : null;

    /// <summary>The caller of a validated token. Name: <c>name</c>, else <c>preferred_username</c>, else the client id, else the subject.</summary>
    public static Caller From(ClaimsPrincipal principal, AuthSettings settings)
    {
        string? First(params string[] types) => types.Select(t => principal.FindFirst(t)?.Value).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
        var subject = First("sub");
        var clientId = First("client_id", "azp");
        var name = First("name", "preferred_username") ?? clientId ?? subject ?? "unknown";
        var roles = Values(principal, settings.RoleClaim);
        var sectors = Values(principal, settings.SectorClaim);
        // "scope" is space-separated (RFC 9068); some providers send one claim per scope, or "scp" (Entra ID).
        var scopes = principal.FindAll(c => c.Type is "scope" or "scp").SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Distinct(StringComparer.Ordinal).ToList();
        return new Caller(CallerKind.Authenticated, name, subject, clientId, roles, sectors, scopes, Security.Rights.Of(roles, scopes));
    }

    private static List<string> Values(ClaimsPrincipal principal, string type) =>
        principal.FindAll(type).Select(c => c.Value.Trim()).Where(v => v.Length > 0).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>For logs and refusals: the name and what the token carries.</summary>
    public string Describe() => Kind switch
    {
        CallerKind.Anonymous => "an anonymous caller",
        CallerKind.System => "the system caller (Auth:Disabled)",
        _ => $"'{Name}' (roles {List(Roles)}; scopes {List(Scopes)})",
    };

    private static string List(IReadOnlyList<string> items) => items.Count == 0 ? "none" : string.Join(", ", items);
}

public static class CallerExtensions
{
    private static readonly object Key = typeof(Caller);

    /// <summary>The caller of this call; anonymous when the access interceptor has not run.</summary>
    public static Caller GetCaller(this ServerCallContext context) => context.GetHttpContext().GetCaller();

    public static Caller GetCaller(this HttpContext http) => http.Items.TryGetValue(Key, out var c) && c is Caller caller ? caller : Caller.Anonymous;

    internal static void SetCaller(this HttpContext http, Caller caller) => http.Items[Key] = caller;
}
