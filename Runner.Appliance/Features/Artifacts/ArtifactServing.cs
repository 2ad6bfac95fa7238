using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.FileProviders.Physical;
using Microsoft.Extensions.Primitives;

namespace Runner.Appliance.Features.Artifacts;

/// <summary>
/// The store, read-only, to the site's VMs under <c>/artifacts/</c> (ADR 0017; <c>/artifacts</c> itself is the
/// Admins' page): anonymous, GET and HEAD,
/// byte ranges and conditional requests (the static file middleware), no directory listing, nothing
/// reached through a symbolic link or outside the store. A branch of its own ahead of the authentication
/// that guards everything else, so that only this path is open; the security headers still apply.
/// </summary>
public static class ArtifactServing
{
    public const string RequestPath = "/artifacts";

    public static IApplicationBuilder UseArtifactStore(this IApplicationBuilder app)
    {
        var store = app.ApplicationServices.GetRequiredService<ArtifactStore>();
        var types = new FileExtensionContentTypeProvider();
        types.Mappings[".rpm"] = "application/x-rpm";
        types.Mappings[".deb"] = "application/vnd.debian.binary-package";
        types.Mappings[".gz"] = "application/gzip";
        types.Mappings[".tgz"] = "application/gzip";
        types.Mappings[".xz"] = "application/x-xz";
        types.Mappings[".zst"] = "application/zstd";
        types.Mappings[".whl"] = "application/zip";
        types.Mappings[".asc"] = "application/pgp-signature";
        var files = new StaticFileOptions
        {
            RequestPath = RequestPath,
            FileProvider = new StoreFiles(store.StorePath),
            ContentTypeProvider = types,
            // Packages, blobs/sha256/<digest>, oci-layout: no extension, and served all the same.
            ServeUnknownFileTypes = true,
            DefaultContentType = "application/octet-stream",
        };
        return app.MapWhen(IsStore, branch => branch.Use(OnlyReads).UseStaticFiles(files).Run(NotFound));
    }

    /// <summary>Below <c>/artifacts/</c>, the trailing slash included; not <c>/artifacts</c>, the page.</summary>
    public static bool IsStore(HttpContext context) => context.Request.Path.StartsWithSegments(RequestPath, out var rest) && rest.HasValue;

    private static Task OnlyReads(HttpContext context, RequestDelegate next)
    {
        // An answer of this branch is the store's, not a page: no re-execution into the app's not-found page.
        if (context.Features.Get<IStatusCodePagesFeature>() is { } pages)
            pages.Enabled = false;
        if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
            return next(context);
        context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
        context.Response.Headers.Allow = "GET, HEAD";
        return Task.CompletedTask;
    }

    private static Task NotFound(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }

    /// <summary>The store's files, and only those: no listing, and nothing whose path passes through a symbolic link.</summary>
    private sealed class StoreFiles(string root) : IFileProvider
    {
        private readonly PhysicalFileProvider _files = new(root, ExclusionFilters.None);

        public IFileInfo GetFileInfo(string subpath)
        {
            var relative = subpath.TrimStart('/');
            if (!ArtifactStore.IsSafe(relative) || ThroughLink(relative))
                return new NotFoundFileInfo(subpath);
            return _files.GetFileInfo(subpath);
        }

        public IDirectoryContents GetDirectoryContents(string subpath) => NotFoundDirectoryContents.Singleton;

        public IChangeToken Watch(string filter) => NullChangeToken.Singleton;

        private bool ThroughLink(string relative)
        {
            var path = root;
            foreach (var segment in relative.Split('/'))
            {
                path = Path.Combine(path, segment);
                FileSystemInfo entry = Directory.Exists(path) ? new DirectoryInfo(path) : new FileInfo(path);
                if (entry.LinkTarget is not null)
                    return true;
            }
            return false;
        }
    }
}
