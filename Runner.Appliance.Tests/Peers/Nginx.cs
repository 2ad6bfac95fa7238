using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Peers;

/// <summary>
/// Debian's nginx on a loopback port as the site's reverse proxy (seed 000: "/runner/" → the UI and the
/// API): websocket upgrade for the Blazor circuit, no buffering for server-sent events, X-Forwarded-*.
/// <paramref name="stripPrefix"/>: nginx strips "/runner" and says so in X-Forwarded-Prefix, instead of
/// passing the path on as it came.
/// </summary>
public sealed class Nginx : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly PeerProcess _process;

    public Nginx(Uri upstream, string prefix = "/runner", bool stripPrefix = false)
    {
        Port = PeerProcess.FreePort();
        var dir = _directory.Path;
        foreach (var temp in new[] { "body", "proxy", "fastcgi", "uwsgi", "scgi" })
            Directory.CreateDirectory(Path.Combine(dir, temp));
        var target = $"{upstream.Scheme}://{upstream.Authority}";
        var pass = stripPrefix ? $"{target}/" : $"{target}{prefix}/";
        var config = Path.Combine(dir, "nginx.conf");
        File.WriteAllText(config, $$"""
            {{(Environment.UserName == "root" ? "user root;" : "")}}
            worker_processes 1;
            daemon off;
            pid {{dir}}/nginx.pid;
            error_log stderr warn;
            events { worker_connections 256; }
            http {
              access_log off;
              client_body_temp_path {{dir}}/body;
              proxy_temp_path {{dir}}/proxy;
              fastcgi_temp_path {{dir}}/fastcgi;
              uwsgi_temp_path {{dir}}/uwsgi;
              scgi_temp_path {{dir}}/scgi;
              client_max_body_size 32m;
              map $http_upgrade $connection_upgrade { default upgrade; '' close; }
              server {
                listen 127.0.0.1:{{Port}};
                location {{prefix}}/ {
                  proxy_pass {{pass}};
                  proxy_http_version 1.1;
                  proxy_set_header Upgrade $http_upgrade;
                  proxy_set_header Connection $connection_upgrade;
                  proxy_set_header Host $host:$server_port;
                  proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                  proxy_set_header X-Forwarded-Proto $scheme;
                  proxy_set_header X-Forwarded-Host $host:$server_port;
                  {{(stripPrefix ? $"proxy_set_header X-Forwarded-Prefix {prefix};" : "")}}
                  proxy_buffering off;
                  proxy_read_timeout 3600s;
                }
              }
            }
            """);
        _process = new PeerProcess("nginx", ["-p", dir, "-c", config]);
        _process.WaitForPort(Port);
        BaseAddress = new Uri($"http://127.0.0.1:{Port}{prefix}/");
    }

    public int Port { get; }

    /// <summary>The appliance as the browser sees it: http://127.0.0.1:port/runner/.</summary>
    public Uri BaseAddress { get; }

    public void Dispose()
    {
        _process.Dispose();
        _directory.Dispose();
    }
}
