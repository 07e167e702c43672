using System.Globalization;

namespace PerfPlatform.Identity;

/// <summary>The pages' words, Italian first, English with ?culture=en (or the portal's language cookie).</summary>
public sealed record Texts
{
    public required string Lang { get; init; }
    public required string SiteName { get; init; }
    public required string LoginTitle { get; init; }
    public required string LoginIntro { get; init; }
    public required string UserName { get; init; }
    public required string Password { get; init; }
    public required string SignIn { get; init; }
    public required string LoginFailed { get; init; }
    public required string Required { get; init; }
    public required string ChangePasswordLink { get; init; }
    public required string ChangePasswordTitle { get; init; }
    public required string ChangePasswordIntro { get; init; }
    public required string CurrentPassword { get; init; }
    public required string NewPassword { get; init; }
    public required string ConfirmPassword { get; init; }
    public required string PasswordRules { get; init; }
    public required string Save { get; init; }
    public required string Mismatch { get; init; }
    public required string Changed { get; init; }
    public required string ChangeFailed { get; init; }
    public required string SignedInAs { get; init; }
    public required string SignOut { get; init; }
    public required string OtherLanguage { get; init; }
    public required string OtherLanguageCode { get; init; }
    public required string ErrorSummary { get; init; }

    public static readonly Texts Italian = new()
    {
        Lang = "it",
        SiteName = "Ciclo della performance",
        LoginTitle = "Accesso",
        LoginIntro = "Inserisci nome utente e password per accedere al portale della performance.",
        UserName = "Nome utente",
        Password = "Password",
        SignIn = "Accedi",
        LoginFailed = "Accesso non riuscito: nome utente o password non validi, oppure troppi tentativi falliti (riprova fra 15 minuti).",
        Required = "Inserisci nome utente e password.",
        ChangePasswordLink = "Cambia la password",
        ChangePasswordTitle = "Cambio password",
        ChangePasswordIntro = "La password iniziale è stata mostrata una sola volta all'avvio: sostituiscila con una tua.",
        CurrentPassword = "Password attuale",
        NewPassword = "Nuova password",
        ConfirmPassword = "Ripeti la nuova password",
        PasswordRules = "Almeno 12 caratteri, con una minuscola, una maiuscola, una cifra e un simbolo.",
        Save = "Salva la nuova password",
        Mismatch = "Le due nuove password non coincidono.",
        Changed = "Password cambiata.",
        ChangeFailed = "Password non cambiata:",
        SignedInAs = "Accesso effettuato come",
        SignOut = "Esci",
        OtherLanguage = "English",
        OtherLanguageCode = "en",
        ErrorSummary = "Errore",
    };

    public static readonly Texts English = new()
    {
        Lang = "en",
        SiteName = "Performance cycle",
        LoginTitle = "Sign in",
        LoginIntro = "Enter your user name and password to sign in to the performance portal.",
        UserName = "User name",
        Password = "Password",
        SignIn = "Sign in",
        LoginFailed = "Sign-in failed: wrong user name or password, or too many failed attempts (try again in 15 minutes).",
        Required = "Enter your user name and password.",
        ChangePasswordLink = "Change your password",
        ChangePasswordTitle = "Change password",
        ChangePasswordIntro = "The initial password was shown only once, at the first start: replace it with your own.",
        CurrentPassword = "Current password",
        NewPassword = "New password",
        ConfirmPassword = "New password again",
        PasswordRules = "At least 12 characters, with a lower-case letter, an upper-case letter, a digit and a symbol.",
        Save = "Save the new password",
        Mismatch = "The two new passwords differ.",
        Changed = "Password changed.",
        ChangeFailed = "Password not changed:",
        SignedInAs = "Signed in as",
        SignOut = "Sign out",
        OtherLanguage = "Italiano",
        OtherLanguageCode = "it",
        ErrorSummary = "Error",
    };

    public static Texts Current => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en" ? English : Italian;
}
