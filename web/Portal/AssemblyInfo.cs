using Microsoft.Extensions.Localization;

// Resources are embedded under the root namespace, which differs from the assembly name.
[assembly: RootNamespace("PerfPlatform.Portal")]
