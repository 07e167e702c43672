using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Npgsql;
using PerfPlatform.TestSupport;
using Xunit;

namespace PerfPlatform.EndToEndTests;

/// <summary>
/// The portal's Data Protection key ring (web/Portal/Persistence) as the replicas and restarts see it: an antiforgery
/// token and its cookie made by one portal process are accepted by another process on the same database, as a session
/// cookie would be. The form is the import page's (reachable with Auth:Disabled=true; without a file the page itself
/// refuses, 422 "Scegliere un file da importare.", without calling a service): antiforgery's refusal would be a 400.
/// </summary>
public sealed partial class PortalKeyRingTests
{
    [Fact]
    public async Task Two_portals_on_one_PostgreSQL_database_accept_each_others_antiforgery_tokens()
    {
        await using var database = await PostgresDatabase.CreateAsync("perf_portal_keys");
        var settings = new Dictionary<string, string> { ["ConnectionStrings__PortalDb"] = database.ConnectionString };
        // Started together on an empty database, as two replicas of a first rollout: they must agree on one key.
        var both = await StandalonePortal.StartTogetherAsync(settings, 2);
        await using var a = both[0];
        await using var b = both[1];

        var form = await GetFormAsync(a);
        var (status, page) = await PostFormAsync(b, form);
        Assert.True(status == HttpStatusCode.UnprocessableEntity, $"portal B answered {(int)status} to portal A's form\n--- A:\n{a.Process.Output}\n--- B:\n{b.Process.Output}");
        Assert.Contains("Scegliere un file da importare.", page);
        // And the other way round.
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await PostFormAsync(a, await GetFormAsync(b))).Status);
        // The check is real: B refuses the same token without its cookie.
        Assert.Equal(HttpStatusCode.BadRequest, (await PostFormAsync(b, form with { Cookie = "" })).Status);

        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("""SELECT count(*) FROM "DataProtectionKeys" """, connection);
        Assert.Equal(1L, (long)(await count.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task A_restarted_portal_on_its_SQLite_default_accepts_the_antiforgery_token_it_gave_before()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "perf-portal-keyring-tests", Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string> { ["DataDirectory"] = dataDir }; // no ConnectionStrings__PortalDb
        try
        {
            PortalForm form;
            await using (var before = await StandalonePortal.StartAsync(settings))
            {
                form = await GetFormAsync(before);
                await before.Process.KillAsync(); // as a crash or a rollout would stop it
            }
            // Started again with only its data directory kept (a new home, as a new container would have).

            await using var after = await StandalonePortal.StartAsync(settings);
            var (status, page) = await PostFormAsync(after, form);
            Assert.True(status == HttpStatusCode.UnprocessableEntity, $"the restarted portal answered {(int)status} to the form it gave before\n{after.Process.Output}");
            Assert.Contains("Scegliere un file da importare.", page);
            Assert.True(File.Exists(Path.Combine(dataDir, "portal.db")));
        }
        finally
        {
            try { Directory.Delete(dataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    [Fact]
    public async Task With_a_certificate_the_keys_are_encrypted_at_rest_and_read_back_after_a_restart()
    {
        await using var database = await PostgresDatabase.CreateAsync("perf_portal_keys_encrypted");
        var folder = Path.Combine(Path.GetTempPath(), "perf-portal-keyring-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var certificatePath = Path.Combine(folder, "keys.pfx");
            using (var rsa = RSA.Create(2048))
            {
                var request = new CertificateRequest("CN=perf-platform-portal-keys", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
                await File.WriteAllBytesAsync(certificatePath, certificate.Export(X509ContentType.Pkcs12, "portal-test"));
            }
            var settings = new Dictionary<string, string>
            {
                ["ConnectionStrings__PortalDb"] = database.ConnectionString,
                ["DataProtection__CertificatePath"] = certificatePath,
                ["DataProtection__CertificatePassword"] = "portal-test",
            };

            PortalForm form;
            await using (var before = await StandalonePortal.StartAsync(settings))
            {
                form = await GetFormAsync(before);
                await before.Process.KillAsync();
            }
            await using var after = await StandalonePortal.StartAsync(settings); // decrypts the key the first one made
            var (status, _) = await PostFormAsync(after, form);
            Assert.True(status == HttpStatusCode.UnprocessableEntity, $"the restarted portal answered {(int)status}\n{after.Process.Output}");

            await using var connection = new NpgsqlConnection(database.ConnectionString);
            await connection.OpenAsync();
            await using var read = new NpgsqlCommand("""SELECT "Xml" FROM "DataProtectionKeys" """, connection);
            var xml = (string)(await read.ExecuteScalarAsync())!;
            Assert.Contains("<encryptedSecret", xml);
            Assert.DoesNotContain("<masterKey", xml); // the key material only inside the encrypted part
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    [Fact]
    public async Task Readiness_reports_the_portal_database_degraded_when_it_is_gone_and_the_portal_keeps_serving()
    {
        await using var database = await PostgresDatabase.CreateAsync("perf_portal_ready");
        await using var portal = await StandalonePortal.StartAsync(new Dictionary<string, string> { ["ConnectionStrings__PortalDb"] = database.ConnectionString });
        using var http = StandalonePortal.Client();

        var (status, report) = await ReadyAsync(http, portal);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("\"portal-database\":{\"status\":\"Healthy\"", report);

        // The database dropped under the running portal (its pooled connections with it).
        await using (var admin = new NpgsqlConnection(TestEnvironment.PostgresAdminConnection))
        {
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE \"{database.Name}\" WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }

        (status, report) = await ReadyAsync(http, portal);
        Assert.True(status == HttpStatusCode.OK, $"/readyz answered {(int)status}: {report}"); // still in service
        Assert.Contains("\"status\":\"Degraded\"", report);
        Assert.Contains("\"portal-database\":{\"status\":\"Degraded\"", report);
        // And pages are still served with the keys it holds.
        await GetFormAsync(portal);
    }

    /// <summary>The antiforgery cookie ("name=value") and the form's hidden token, as a browser holds them.</summary>
    private sealed record PortalForm(string Cookie, string Token);

    private static async Task<(HttpStatusCode Status, string Report)> ReadyAsync(HttpClient http, StandalonePortal portal)
    {
        using var response = await http.GetAsync($"{portal.Url}/readyz");
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<PortalForm> GetFormAsync(StandalonePortal portal)
    {
        using var http = StandalonePortal.Client();
        using var response = await http.GetAsync($"{portal.Url}/Importa");
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET /Importa: {(int)response.StatusCode}\n{portal.Process.Output}");
        var cookie = response.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith("perf.antiforgery=", StringComparison.Ordinal));
        var token = WebUtility.HtmlDecode(TokenField().Match(html) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException("no antiforgery token in the import form"));
        return new PortalForm(cookie, token);
    }

    private static async Task<(HttpStatusCode Status, string Page)> PostFormAsync(StandalonePortal portal, PortalForm form)
    {
        using var http = StandalonePortal.Client();
        using var content = new MultipartFormDataContent { { new StringContent(form.Token), "__RequestVerificationToken" } };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{portal.Url}/Importa?handler=Preview") { Content = content };
        if (form.Cookie.Length > 0) request.Headers.Add("Cookie", form.Cookie);
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
