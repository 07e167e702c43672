using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace PerfPlatform.Identity;

/// <summary>
/// The keys that must outlive a restart: the RSA key that signs every token (published at /.well-known/jwks, so a
/// token issued before a restart still validates after it) and the symmetric key that encrypts authorization codes
/// and refresh tokens. Each comes from a setting when given (Identity:SigningKey, a PEM RSA private key;
/// Identity:EncryptionKey, 32 bytes in base64: a Kubernetes Secret, several replicas), otherwise from a file in the
/// data directory, created at the first start (readable by the owner only).
/// </summary>
public static class KeyMaterial
{
    public const string SigningKeySetting = "Identity:SigningKey";
    public const string EncryptionKeySetting = "Identity:EncryptionKey";
    public const string SigningKeyFile = "identity-signing-key.pem";
    public const string EncryptionKeyFile = "identity-encryption-key.txt";

    public static RsaSecurityKey SigningKey(IConfiguration configuration, string dataDirectory)
    {
        var rsa = RSA.Create();
        if (configuration[SigningKeySetting] is { Length: > 0 } pem)
        {
            rsa.ImportFromPem(pem);
        }
        else
        {
            var file = Path.Combine(dataDirectory, SigningKeyFile);
            if (File.Exists(file))
            {
                rsa.ImportFromPem(File.ReadAllText(file));
            }
            else
            {
                rsa.KeySize = 2048;
                WriteSecret(file, rsa.ExportPkcs8PrivateKeyPem());
            }
        }
        var key = new RsaSecurityKey(rsa);
        // A stable key id (the RFC 7638 thumbprint): the same after every restart, new only with a new key.
        key.KeyId = Base64UrlEncoder.Encode(key.ComputeJwkThumbprint());
        return key;
    }

    public static SymmetricSecurityKey EncryptionKey(IConfiguration configuration, string dataDirectory)
    {
        byte[] bytes;
        if (configuration[EncryptionKeySetting] is { Length: > 0 } given)
        {
            bytes = Convert.FromBase64String(given);
        }
        else
        {
            var file = Path.Combine(dataDirectory, EncryptionKeyFile);
            if (File.Exists(file))
            {
                bytes = Convert.FromBase64String(File.ReadAllText(file).Trim());
            }
            else
            {
                bytes = RandomNumberGenerator.GetBytes(32);
                WriteSecret(file, Convert.ToBase64String(bytes));
            }
        }
        if (bytes.Length != 32)
            throw new InvalidOperationException($"{EncryptionKeySetting} must be 32 bytes in base64 (e.g. `openssl rand -base64 32`)");
        return new SymmetricSecurityKey(bytes);
    }

    private static void WriteSecret(string file, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var temp = file + ".tmp";
        File.WriteAllText(temp, content);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temp, file, overwrite: false);
    }
}
