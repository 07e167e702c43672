using Grpc.Core;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace PerfPlatform.Portal.Pages;

/// <summary>What the reader sees when a page fails: a service down (503) says so; anything else is a plain error.</summary>
[IgnoreAntiforgeryToken]
public sealed class ErroreModel(ILogger<ErroreModel> log) : PageModel
{
    public bool ServiceDown { get; private set; }

    public void OnGet() => Describe();
    public void OnPost() => Describe();

    private void Describe()
    {
        var error = HttpContext.Features.Get<IExceptionHandlerFeature>()?.Error;
        ServiceDown = error is RpcException { StatusCode: Grpc.Core.StatusCode.Unavailable or Grpc.Core.StatusCode.DeadlineExceeded or Grpc.Core.StatusCode.Cancelled };
        if (error is not null) log.LogWarning(error, "Page {Path} failed", HttpContext.Features.Get<IExceptionHandlerFeature>()?.Path);
        Response.StatusCode = ServiceDown ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError;
    }
}
