using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace PerfPlatform.Identity.Pages.Account;

/// <summary>
/// The login form. One message for every failure (unknown user, wrong password, locked out), so the page never tells
/// whether a user exists; five failures lock the account for 15 minutes. Antiforgery is on (Razor Pages' default).
/// </summary>
[AllowAnonymous]
public sealed class LoginModel(SignInManager<IdentityUser> signIn, IConfiguration configuration, ILogger<LoginModel> logger) : PageModel
{
    [BindProperty] public string? UserName { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public string? Error { get; private set; }

    /// <summary>The form posts back here with the language of the page.</summary>
    public string FormAction => "/account/login" + (Request.Query.TryGetValue("culture", out var c) ? QueryString.Create("culture", c.ToString()) : "");

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var texts = Texts.Current;
        if (string.IsNullOrWhiteSpace(UserName) || string.IsNullOrEmpty(Password))
        {
            Error = texts.Required;
            return Page();
        }
        var result = await signIn.PasswordSignInAsync(UserName.Trim(), Password, isPersistent: false, lockoutOnFailure: true);
        if (!result.Succeeded)
        {
            logger.LogWarning("Failed sign-in for {UserName} (locked out: {LockedOut})", UserName.Trim(), result.IsLockedOut);
            Error = texts.LoginFailed;
            Password = null;
            return Page();
        }
        logger.LogInformation("{UserName} signed in", UserName.Trim());
        if (!string.IsNullOrEmpty(ReturnUrl) && Url.IsLocalUrl(ReturnUrl)) return LocalRedirect(ReturnUrl);
        // Signed in without a client asking (the login page opened by hand): to the portal, or the password page.
        return configuration[Seeding.PortalUrlSetting] is { Length: > 0 } portal ? Redirect(portal) : LocalRedirect("/account/change-password");
    }
}
