#!/usr/bin/env python3
"""The artifact store (issue #14): import and verify, and serving.

Import: a tree of generated files (random bytes, never sparse; 5 GiB in 10 files by default) with its
manifest, pinned by a lock the appliance reads at start, imported through POST /api/v1/artifacts/import
(streamed, hashed while copied, staged, moved into the store), then verified again through
POST /api/v1/artifacts/verify (every stored file hashed anew). Each is compared with `sha256sum` of the
same files on the same machine, run just before it: import MB/s / sha256sum MB/s (goal >= 0.8); the import
also against `cp` + `sync` of the same files (the disk's write floor, which sha256sum never pays); and the
appliance's peak RSS (VmHWM, goal < 200 MB: streaming, never a whole file in memory).
The page cache holds the tree (24 GiB here, the tree 5 GiB): both sides read from memory, so the ratio
is the appliance's hashing + writing against the hash alone; `sync` runs before each measurement.

Serving: one 1 GiB stored artifact fetched by 4 concurrent `curl` from /artifacts/ (anonymous, as the
VMs read it), against `python3 -m http.server` serving the same file: aggregate MB/s of each and ratio.

--smoke: 4 files of 4 MiB, a 16 MiB served file, on the Release build output, nothing kept.
BENCH_IMPORT_GIB, BENCH_FILES, BENCH_SERVE_MIB change the sizes. Only loopback is used.
"""
import glob, hashlib, json, os, shutil, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from startup import ROOT, SMOKE, USER, PASSWORD, free_port, publish, save, start, stop, post_json  # noqa: E402
from architecture import call  # noqa: E402

MIB = 1024 * 1024
FILES = 4 if SMOKE else int(os.environ.get("BENCH_FILES", "10"))
TOTAL = 16 * MIB if SMOKE else int(float(os.environ.get("BENCH_IMPORT_GIB", "5")) * 1024 * MIB)
SERVE = 16 * MIB if SMOKE else int(os.environ.get("BENCH_SERVE_MIB", "1024")) * MIB
CLIENTS = 4


def write_random(path, size):
    """Random bytes (incompressible, every block allocated), hashed while written."""
    digest = hashlib.sha256()
    chunk = 8 * MIB
    with open(path, "wb") as f:
        left = size
        while left:
            block = os.urandom(min(chunk, left))
            f.write(block)
            digest.update(block)
            left -= len(block)
    return digest.hexdigest()


def make_tree(tree, ansible):
    """files/<name>/<name>.bin for each artifact, manifest.json + its sha256, and the lock in a copy of ansible/."""
    artifacts, files, lock = [], [], ["version: 1", "artifacts:"]
    sizes = [TOTAL // FILES] * FILES
    sizes[-1] += TOTAL - sum(sizes)
    sizes.append(SERVE)  # the served artifact, imported with the rest
    for i, size in enumerate(sizes):
        name = "serve-probe" if i == len(sizes) - 1 else f"bench-file-{i:02d}"
        folder = f"files/{name}"
        os.makedirs(os.path.join(tree, folder), exist_ok=True)
        rel = f"{folder}/{name}.bin"
        sha = write_random(os.path.join(tree, rel), size)
        artifacts.append({"name": name, "kind": "file", "version": "1.0", "sha256": sha, "size": size, "path": folder, "files": [rel]})
        files.append({"path": rel, "sha256": sha, "size": size})
        lock += [f"  - name: {name}", "    kind: file", '    version: "1.0"', f"    sha256: {sha}", f"    size: {size}",
                 "    source:", f"      url: http://127.0.0.1:9/{name}/{name}.bin"]
    manifest = json.dumps({"version": 1, "created": "2026-12-01T00:00:00Z", "artifacts": artifacts, "files": files}, indent=1).encode()
    with open(os.path.join(tree, "manifest.json"), "wb") as f:
        f.write(manifest)
    with open(os.path.join(tree, "manifest.json.sha256"), "w") as f:
        f.write(f"{hashlib.sha256(manifest).hexdigest()}  manifest.json\n")
    shutil.copytree(os.path.join(ROOT, "ansible"), ansible)
    # The bench's lock replaces the shipped one: the roles' own needs (which it does not pin) go with it.
    for needs in glob.glob(os.path.join(ansible, "roles", "*", "meta", "artifacts.yml")):
        os.remove(needs)
    with open(os.path.join(ansible, "artifacts.lock.yml"), "w") as f:
        f.write("\n".join(lock) + "\n")
    return [os.path.join(tree, f["path"]) for f in files[:-1]], os.path.join(tree, files[-1]["path"])


def sha256sum_seconds(paths):
    subprocess.run(["sync"], check=True)
    t0 = time.perf_counter()
    subprocess.run(["sha256sum", *paths], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


PEAK_ANON_MB = [0.0]


def copy_seconds(paths, tree, target):
    """The disk's own floor for an import: cp of the same files, then sync (the import flushes each file to disk too)."""
    subprocess.run(["sync"], check=True)
    t0 = time.perf_counter()
    for path in paths:
        out = os.path.join(target, os.path.relpath(path, tree))
        os.makedirs(os.path.dirname(out), exist_ok=True)
        subprocess.run(["cp", path, out], check=True)
    subprocess.run(["sync"], check=True)
    elapsed = time.perf_counter() - t0
    shutil.rmtree(target)
    return elapsed


def job(port, token, path, body, pid):
    """Starts an import or verification and waits for its end (a bench-side wait, 0.2 s apart, sampling the appliance's anonymous memory)."""
    subprocess.run(["sync"], check=True)
    t0 = time.perf_counter()
    _, text = call(port, token, "POST", path, body)  # an answer other than 2xx ends the bench with it
    job_id = json.loads(text)["id"]
    while True:
        _, text = call(port, token, "GET", f"/api/v1/artifacts/imports/{job_id}")
        view = json.loads(text)
        if view["status"] != "Running":
            break
        PEAK_ANON_MB[0] = max(PEAK_ANON_MB[0], status_mb(pid, "RssAnon:"))
        time.sleep(0.2)
    elapsed = time.perf_counter() - t0
    assert view["status"] == "Completed" and not view["refusals"], view
    return elapsed, view


def status_mb(pid, field):
    """A /proc/<pid>/status figure in MB: VmHWM (peak resident set), RssAnon (heap and stacks, no mapped code)."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field):
                return int(line.split()[1]) / 1024
    return 0


def peak_rss_mb(pid):
    return status_mb(pid, "VmHWM:")


def curl_all(url, size):
    """CLIENTS curls at once of the whole file; checks every byte count; aggregate MB/s."""
    t0 = time.perf_counter()
    procs = [subprocess.Popen(["curl", "-sS", "-f", "-o", "/dev/null", "-w", "%{size_download}", url], stdout=subprocess.PIPE, text=True)
             for _ in range(CLIENTS)]
    got = [p.communicate()[0] for p in procs]
    elapsed = time.perf_counter() - t0
    assert all(p.returncode == 0 for p in procs) and all(int(g) == size for g in got), got
    return CLIENTS * size / MIB / elapsed


def python_server_mbs(path, size):
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", os.path.dirname(path)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/{os.path.basename(path)}"
        for _ in range(100):
            if subprocess.run(["curl", "-sf", "-o", "/dev/null", "-r", "0-0", url]).returncode == 0:
                break
            time.sleep(0.05)
        return curl_all(url, size)
    finally:
        server.terminate()
        server.wait()


def main():
    command = publish()
    work = tempfile.mkdtemp(prefix="runner-bench-artifacts-", dir="/var/tmp")
    proc = None
    try:
        tree, ansible, data = (os.path.join(work, d) for d in ("tree", "ansible", "data"))
        t0 = time.perf_counter()
        paths, served = make_tree(tree, ansible)
        generated = time.perf_counter() - t0
        os.environ["Appliance__Engine__AnsibleDirectory"] = ansible
        port = free_port()
        proc, _ = start(command, data, port)
        post_json(port, "/api/v1/setup", {"username": USER, "password": PASSWORD})
        _, body = call(port, "", "POST", "/api/v1/token", {"username": USER, "password": PASSWORD})
        token = json.loads(body)["access_token"]
        rss_started, anon_started = peak_rss_mb(proc.pid), status_mb(proc.pid, "RssAnon:")

        imported = TOTAL + SERVE
        hash_tree = sha256sum_seconds(paths + [served])
        copy_tree = copy_seconds(paths + [served], tree, os.path.join(work, "copy"))
        import_s, view = job(port, token, "/api/v1/artifacts/import", {"path": tree}, proc.pid)
        assert view["bytesDone"] == imported, view
        store = os.path.join(data, "artifacts", "store")
        stored = [os.path.join(store, os.path.relpath(p, tree)) for p in paths + [served]]
        hash_store = sha256sum_seconds(stored)
        verify_s, _ = job(port, token, "/api/v1/artifacts/verify", None, proc.pid)
        _, body = call(port, token, "GET", "/api/v1/artifacts")
        statuses = {a["name"]: a["status"] for a in json.loads(body)["artifacts"]}
        assert set(statuses.values()) == {"Present"}, statuses
        rss_peak = peak_rss_mb(proc.pid)

        appliance_serve = curl_all(f"http://127.0.0.1:{port}/artifacts/{os.path.relpath(served, tree)}", SERVE)
        python_serve = python_server_mbs(stored[-1], SERVE)
        mbs = lambda seconds: imported / MIB / seconds  # noqa: E731
        result = {
            "import_bytes": imported, "files": len(stored), "tree_generation_s": round(generated, 1),
            "sha256sum_tree_mb_s": round(mbs(hash_tree)), "import_mb_s": round(mbs(import_s)),
            "import_ratio_vs_sha256sum": round(hash_tree / import_s, 2),
            "cp_and_sync_mb_s": round(mbs(copy_tree)), "import_ratio_vs_cp_and_sync": round(copy_tree / import_s, 2),
            "sha256sum_store_mb_s": round(mbs(hash_store)), "verify_mb_s": round(mbs(verify_s)),
            "verify_ratio_vs_sha256sum": round(hash_store / verify_s, 2),
            "appliance_rss_after_start_mb": round(rss_started), "appliance_peak_rss_mb": round(rss_peak),
            "appliance_anon_after_start_mb": round(anon_started), "appliance_anon_peak_during_jobs_mb": round(PEAK_ANON_MB[0]),
            "serve_bytes": SERVE, "serve_clients": CLIENTS,
            "serve_appliance_mb_s": round(appliance_serve), "serve_python_http_server_mb_s": round(python_serve),
            "serve_ratio_vs_python": round(appliance_serve / python_serve, 2),
            "targets": "import >= 0.8x sha256sum; peak RSS < 200 MB; serving: ratio reported",
        }
        save("artifacts.json", result)
    finally:
        if proc is not None:
            stop(proc)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
