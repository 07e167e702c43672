using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PerfPlatform.AccessTests;

/// <summary>
/// The bad tokens the provider never issues, each made from a real one (its header, kid included, and its claims) and
/// changed in one respect only, so that a refusal is for that respect alone: forged (the same token signed by another
/// key under the provider's key id); expired, of another audience, of another issuer (signed by the provider's own
/// key, which the fixture gave it).
/// </summary>
public sealed class TamperedTokens(RSA providerKey)
{
    /// <summary>The real token, unchanged, signed by a key that is not the provider's.</summary>
    public string Forged(string realToken)
    {
        using var other = RSA.Create(2048);
        return Resign(realToken, other, _ => { });
    }

    /// <summary>The real token, expired 10 minutes ago (beyond the hosts' minute of clock skew), signed by the provider's key.</summary>
    public string Expired(string realToken) => Resign(realToken, providerKey, claims =>
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        claims["iat"] = now - 1200;
        claims["nbf"] = now - 1200;
        claims["exp"] = now - 600;
    });

    /// <summary>The real token for another audience, signed by the provider's key.</summary>
    public string WithAudience(string realToken, string audience) => Resign(realToken, providerKey, claims => claims["aud"] = audience);

    /// <summary>The real token naming another issuer, signed by the provider's key.</summary>
    public string WithIssuer(string realToken, string issuer) => Resign(realToken, providerKey, claims => claims["iss"] = issuer);

    private static string Resign(string token, RSA key, Action<JsonObject> change)
    {
        var parts = token.Split('.');
        if (parts.Length != 3) throw new ArgumentException("not a signed JWT", nameof(token));
        var header = JsonNode.Parse(Base64UrlDecode(parts[0]))!.AsObject();
        if ((string?)header["alg"] != "RS256") throw new ArgumentException($"the token is signed with {header["alg"]}, not RS256", nameof(token));
        var claims = JsonNode.Parse(Base64UrlDecode(parts[1]))!.AsObject();
        change(claims);
        var signed = parts[0] + "." + Base64UrlEncode(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        var signature = key.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signed + "." + Base64UrlEncode(signature);
    }

    /// <summary>A claim of a (real) token, e.g. its subject.</summary>
    public static string Claim(string token, string name)
    {
        using var claims = JsonDocument.Parse(Base64UrlDecode(token.Split('.')[1]));
        return claims.RootElement.GetProperty(name).GetString() ?? throw new ArgumentException($"the token's {name} is not a string", nameof(name));
    }

    private static byte[] Base64UrlDecode(string text)
    {
        var base64 = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '='));
    }

    private static string Base64UrlEncode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
