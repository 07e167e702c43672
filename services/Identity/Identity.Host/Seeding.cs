using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace PerfPlatform.Identity;

/// <summary>
/// At every start (after the migrations): the roles, the demo users and the clients of <see cref="Catalogue"/>.
/// A demo user is created once, with a random password printed once (or Identity:DemoPassword, for tests); after that
/// it is left alone, so a changed password stays changed. Clients are brought in line with the settings at every
/// start (redirect URIs from Identity:PortalUrl, secrets from Identity:Clients:&lt;id&gt;:Secret); a client without a
/// secret setting gets a random one at creation, printed once.
/// </summary>
internal sealed class Seeding(IServiceProvider services, IConfiguration configuration, ILogger<Seeding> logger) : IHostedService
{
    public const string DemoPasswordSetting = "Identity:DemoPassword";
    public const string PortalUrlSetting = "Identity:PortalUrl";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();

        foreach (var role in Catalogue.Roles)
            if (!await roles.RoleExistsAsync(role))
                Check(await roles.CreateAsync(new IdentityRole(role)), $"role {role}");

        var printed = new List<string>();
        foreach (var demo in Catalogue.Users)
        {
            if (await users.FindByNameAsync(demo.UserName) is not null) continue;
            var fixedPassword = configuration[DemoPasswordSetting];
            var password = string.IsNullOrEmpty(fixedPassword) ? RandomPassword() : fixedPassword;
            var user = new IdentityUser(demo.UserName) { EmailConfirmed = true, LockoutEnabled = true };
            Check(await users.CreateAsync(user, password), $"user {demo.UserName}");
            Check(await users.AddToRoleAsync(user, demo.Role), $"role of {demo.UserName}");
            var claims = demo.Sectors.Select(s => new Claim(Catalogue.SectorClaim, s)).Prepend(new Claim(Claims.Name, demo.Name));
            Check(await users.AddClaimsAsync(user, claims), $"claims of {demo.UserName}");
            if (string.IsNullOrEmpty(fixedPassword)) printed.Add($"  {demo.UserName,-10} {password,-20} ({demo.Role}{(demo.Sectors.Length > 0 ? ", " + string.Join(", ", demo.Sectors) : "")})");
        }
        if (printed.Count > 0)
        {
            // Straight to the console, whatever the log level: shown once, never stored in clear.
            Console.WriteLine("""
                ==============================================================================================
                Identity: utenti demo creati, password iniziali (mostrate solo ora: cambiarle su /account/change-password)
                Identity: demo users created, initial passwords (shown only now: change them at /account/change-password)
                """);
            foreach (var line in printed) Console.WriteLine(line);
            Console.WriteLine("==============================================================================================");
        }

        foreach (var clientId in Catalogue.ClientIds)
            await EnsureClientAsync(applications, clientId, cancellationToken);
    }

    private async Task EnsureClientAsync(IOpenIddictApplicationManager applications, string clientId, CancellationToken cancellationToken)
    {
        var existing = await applications.FindByClientIdAsync(clientId, cancellationToken);
        var secret = configuration[$"Identity:Clients:{clientId}:Secret"];
        if (existing is not null && string.IsNullOrEmpty(secret))
        {
            // Keep the secret it was given, bring the rest in line.
            var current = new OpenIddictApplicationDescriptor();
            await applications.PopulateAsync(current, existing, cancellationToken);
            var wanted = Describe(clientId, null);
            wanted.ClientSecret = current.ClientSecret;
            await applications.PopulateAsync(existing, wanted, cancellationToken);
            await applications.UpdateAsync(existing, cancellationToken);
            return;
        }
        var generated = string.IsNullOrEmpty(secret);
        var descriptor = Describe(clientId, generated ? RandomPassword() : secret);
        if (existing is null)
        {
            await applications.CreateAsync(descriptor, cancellationToken);
            if (generated)
                Console.WriteLine($"Identity: client '{clientId}' creato con il segreto / created with the secret: {descriptor.ClientSecret} " +
                                  $"(impostare / set Identity__Clients__{clientId}__Secret)");
        }
        else
        {
            await applications.UpdateAsync(existing, descriptor, cancellationToken);
        }
        logger.LogInformation("Client {ClientId} registered", clientId);
    }

    private OpenIddictApplicationDescriptor Describe(string clientId, string? secret)
    {
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            ClientSecret = secret,
            ClientType = ClientTypes.Confidential,
            Permissions = { Permissions.Endpoints.Token },
        };
        if (clientId == Catalogue.PortalClientId)
        {
            var portal = (configuration[PortalUrlSetting] is { Length: > 0 } url ? url : "http://localhost:8080").TrimEnd('/');
            descriptor.DisplayName = "Portale / Portal";
            descriptor.ConsentType = ConsentTypes.Implicit;
            descriptor.RedirectUris.Add(new Uri($"{portal}/signin-oidc"));
            descriptor.PostLogoutRedirectUris.Add(new Uri($"{portal}/signout-callback-oidc"));
            foreach (var permission in new[]
                     {
                         Permissions.Endpoints.Authorization, Permissions.Endpoints.EndSession,
                         Permissions.GrantTypes.AuthorizationCode, Permissions.GrantTypes.RefreshToken, Permissions.ResponseTypes.Code,
                         Permissions.Scopes.Profile, Permissions.Scopes.Roles,
                     })
                descriptor.Permissions.Add(permission);
            descriptor.Requirements.Add(Requirements.Features.ProofKeyForCodeExchange);
        }
        else
        {
            var machine = Catalogue.MachineClients.Single(c => c.ClientId == clientId);
            descriptor.DisplayName = machine.DisplayName;
            descriptor.Permissions.Add(Permissions.GrantTypes.ClientCredentials);
            foreach (var scope in machine.Scopes) descriptor.Permissions.Add(Permissions.Prefixes.Scope + scope);
        }
        return descriptor;
    }

    /// <summary>20 characters from an alphabet without look-alikes, with every class the password rules ask for.</summary>
    internal static string RandomPassword()
    {
        const string lower = "abcdefghijkmnpqrstuvwxyz", upper = "ABCDEFGHJKLMNPQRSTUVWXYZ", digits = "23456789", symbols = "-_.!";
        var all = lower + upper + digits + symbols;
        var chars = new char[20];
        chars[0] = lower[RandomNumberGenerator.GetInt32(lower.Length)];
        chars[1] = upper[RandomNumberGenerator.GetInt32(upper.Length)];
        chars[2] = digits[RandomNumberGenerator.GetInt32(digits.Length)];
        chars[3] = symbols[RandomNumberGenerator.GetInt32(symbols.Length)];
        for (var i = 4; i < chars.Length; i++) chars[i] = all[RandomNumberGenerator.GetInt32(all.Length)];
        RandomNumberGenerator.Shuffle(chars.AsSpan());
        return new string(chars);
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException($"Identity: could not create {what}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
