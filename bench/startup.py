#!/usr/bin/env python3
"""Cold start and memory of the published appliance.

Publishes Runner.Appliance (self-contained, ReadyToRun: the appliance build), then starts it N
times on a prepared data directory and reports, as medians:
  - start: process launch to the first 200 from /healthz
  - rss_after_first_page: VmRSS once a signed-in page (the overview, server-rendered through the
    full MudBlazor layout) has been served
First boot (empty data directory: migrations, key ring, token key) is reported separately.
Only loopback is used. Targets (issue #2): start < 1.5 s, RSS < 150 MB.

--smoke (what ./test.sh runs): one start on the Release build output instead of a publish, every step
checked, no figure kept; it proves the bench still works, it measures nothing.
"""
import http.cookiejar, json, os, re, shutil, socket, statistics, subprocess, sys, tempfile, time, urllib.parse, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "bench", "out")
SMOKE = "--smoke" in sys.argv[1:]
RUNS = 1 if SMOKE else int(os.environ.get("BENCH_RUNS", "5"))
USER, PASSWORD = "bench-admin", "bench-password-123"
START_TIMEOUT_S = 60
HTTP_TIMEOUT_S = 300


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def publish():
    """The command that starts the appliance: the published build, or in smoke mode the Release build output."""
    if SMOKE:
        dll = os.path.join(ROOT, "Runner.Appliance", "bin", "Release", "net10.0", "Runner.Appliance.dll")
        if not os.path.exists(dll):
            raise SystemExit(f"{dll} is missing: build first (dotnet build Runner.sln -c Release)")
        return ["dotnet", dll]
    app = os.path.join(OUT, "app")
    if os.environ.get("BENCH_SKIP_PUBLISH") != "1" or not os.path.exists(app):
        subprocess.run(["dotnet", "publish", os.path.join(ROOT, "Runner.Appliance"), "-p:PublishProfile=Appliance",
                        "-o", app, "-nologo", "-clp:ErrorsOnly"], check=True)
    return [os.path.join(app, "Runner.Appliance")]


def start(command, data, port):
    env = dict(os.environ, ASPNETCORE_URLS=f"http://127.0.0.1:{port}", Appliance__DataDirectory=data,
               DOTNET_CLI_TELEMETRY_OPTOUT="1")
    log = open(data.rstrip("/") + f"-{port}.log", "w+")
    t0 = time.perf_counter()
    proc = subprocess.Popen(command, cwd=os.path.dirname(command[-1]), env=env, stdout=log, stderr=subprocess.STDOUT)
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as r:
                if r.status == 200:
                    return proc, time.perf_counter() - t0
        except OSError:
            failure = "exited during start" if proc.poll() is not None else None
            if failure is None and time.perf_counter() - t0 > START_TIMEOUT_S:
                proc.kill()
                failure = f"did not answer /healthz within {START_TIMEOUT_S} s"
            if failure:
                log.seek(0)
                raise SystemExit(f"appliance {failure}; its output:\n" + log.read()[-4000:])
            time.sleep(0.005)


def save(name, result):
    """Prints the figures and keeps them in bench/results/ (not in smoke mode: smoke figures mean nothing)."""
    print(json.dumps(result, indent=2))
    if SMOKE:
        return
    os.makedirs(os.path.join(ROOT, "bench", "results"), exist_ok=True)
    with open(os.path.join(ROOT, "bench", "results", name), "w") as f:
        json.dump(result, f, indent=2)


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1)) / 1024


def post_json(port, path, body):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", json.dumps(body).encode(), {"Content-Type": "application/json"})
    try:
        urllib.request.urlopen(req, timeout=HTTP_TIMEOUT_S).close()
    except urllib.error.HTTPError as e:
        if e.code != 409:
            raise


def signed_in_page(port):
    """Signs in through the real form (antiforgery included) and fetches the overview."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(f"http://127.0.0.1:{port}/account/login", timeout=HTTP_TIMEOUT_S).read().decode()
    token = re.search(r'name="__RequestVerificationToken" value="([^"]+)"', html).group(1)
    form = {"__RequestVerificationToken": token, "_handler": "login", "Input.Username": USER, "Input.Password": PASSWORD}
    page = opener.open(f"http://127.0.0.1:{port}/account/login", urllib.parse.urlencode(form).encode(), timeout=HTTP_TIMEOUT_S).read().decode()
    if "data-testid=\"current-user\"" not in page:
        raise SystemExit("sign-in through the form failed")


def stop(proc):
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise SystemExit("appliance did not stop within 10 s of SIGTERM")


def main():
    command = publish()
    work = tempfile.mkdtemp(prefix="runner-bench-")
    try:
        data = os.path.join(work, "data")
        port = free_port()
        proc, first_boot = start(command, data, port)
        post_json(port, "/api/v1/setup", {"username": USER, "password": PASSWORD})
        stop(proc)

        starts, rss_idle, rss_page = [], [], []
        for _ in range(RUNS):
            port = free_port()
            proc, elapsed = start(command, data, port)
            starts.append(elapsed)
            rss_idle.append(rss_mb(proc.pid))
            signed_in_page(port)
            rss_page.append(rss_mb(proc.pid))
            stop(proc)

        result = {
            "runs": RUNS,
            "first_boot_s": round(first_boot, 3),
            "start_median_s": round(statistics.median(starts), 3),
            "start_all_s": [round(s, 3) for s in starts],
            "rss_at_healthz_median_mb": round(statistics.median(rss_idle), 1),
            "rss_after_first_page_median_mb": round(statistics.median(rss_page), 1),
            "targets": {"start_s": 1.5, "rss_mb": 150},
        }
        save("startup.json", result)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
