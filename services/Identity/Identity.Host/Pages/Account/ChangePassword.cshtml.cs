using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace PerfPlatform.Identity.Pages.Account;

/// <summary>The signed-in user replaces their password (the current one required). Only for a signed-in user.</summary>
public sealed class ChangePasswordModel(UserManager<IdentityUser> users, SignInManager<IdentityUser> signIn, ILogger<ChangePasswordModel> logger) : PageModel
{
    [BindProperty] public string? CurrentPassword { get; set; }
    [BindProperty] public string? NewPassword { get; set; }
    [BindProperty] public string? ConfirmPassword { get; set; }
    public List<string> Errors { get; } = [];
    public bool Changed { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var texts = Texts.Current;
        var user = await users.GetUserAsync(User);
        if (user is null) return Challenge();
        if (string.IsNullOrEmpty(CurrentPassword) || string.IsNullOrEmpty(NewPassword) || NewPassword != ConfirmPassword)
        {
            Errors.Add(texts.Mismatch);
            return Page();
        }
        var result = await users.ChangePasswordAsync(user, CurrentPassword, NewPassword);
        if (!result.Succeeded)
        {
            Errors.Add(texts.ChangeFailed);
            Errors.AddRange(result.Errors.Select(e => e.Description));
            return Page();
        }
        await signIn.RefreshSignInAsync(user);
        logger.LogInformation("{UserName} changed their password", user.UserName);
        Changed = true;
        return Page();
    }
}
