#!/usr/bin/env python3
"""Orchestration overhead of the deployment engine: the same trivial role (testrole, three tasks on
localhost) run N times through the engine (POST /api/v1/runs → run finished, on the published
build) and N times with plain ansible-playbook on the same wrapper playbook and vars. Reports medians
and the difference per role. Target (issue #5): at most 5 % or 100 ms more per role.
No preflight runs here, so the gate is closed: every start is an Admin's override, with its reason.
--smoke: one run each way, no warm-up, on the Release build output, nothing kept (see startup.py).
"""
import json, os, shutil, statistics, subprocess, sys, tempfile, time, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from startup import ROOT, SMOKE, USER, PASSWORD, free_port, publish, save, start, stop, post_json  # noqa: E402
from architecture import call  # noqa: E402

RUNS = 1 if SMOKE else int(os.environ.get("BENCH_RUNS", "7"))
WARMUP = 0 if SMOKE else 3
OVERRIDE = "Benchmark of the engine on loopback: no preflight is run"
ANSIBLE = os.path.join(ROOT, "ansible")
ROLE_SECONDS = []
PHASES = []


APPLIANCE_CPU = []


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def engine_once(port, token, pid=None):
    cpu0 = cpu_seconds(pid) if pid else 0
    t0 = time.perf_counter()
    _, body = call(port, token, "POST", "/api/v1/runs", {"roles": ["testrole"], "overrideReason": OVERRIDE})
    run_id = json.loads(body)["id"]
    # Wait on the server-sent events stream, which ends with the run (polling would steal CPU from the role).
    call(port, token, "GET", f"/api/v1/runs/{run_id}/events/stream")
    elapsed = time.perf_counter() - t0
    if pid:
        APPLIANCE_CPU.append(cpu_seconds(pid) - cpu0)
    _, body = call(port, token, "GET", f"/api/v1/runs/{run_id}")
    run = json.loads(body)
    assert run["status"] == "Successful", run
    role = run["roles"][0]
    from datetime import datetime
    ROLE_SECONDS.append((datetime.fromisoformat(role["finishedAt"]) - datetime.fromisoformat(role["startedAt"])).total_seconds())
    return elapsed


def plain_once(work):
    with open(os.path.join(work, "vars.json"), "w") as f:
        json.dump({"general": {"environment_prefix": "prod", "base_domain": "example.local"}, "hypervisors": []}, f)
    with open(os.path.join(work, "inventory.json"), "w") as f:
        json.dump({"all": {"hosts": {}, "children": {}}}, f)
    env = dict(os.environ, ANSIBLE_ROLES_PATH=os.path.join(ANSIBLE, "roles"), ANSIBLE_LOCAL_TEMP=os.path.join(work, "tmp"),
               ANSIBLE_HOME=os.path.join(work, "home"), ANSIBLE_LOCALHOST_WARNING="False", ANSIBLE_INVENTORY_UNPARSED_FAILED="True")
    t0 = time.perf_counter()
    subprocess.run(["ansible-playbook", "-i", os.path.join(work, "inventory.json"), os.path.join(ANSIBLE, "playbooks", "run_role.yml"),
                    "-e", "role_name=testrole", "-e", "target_hosts=localhost", "-e", "@" + os.path.join(work, "vars.json")],
                   check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def main():
    command = publish()
    work = tempfile.mkdtemp(prefix="runner-bench-")
    proc = None
    try:
        port = free_port()
        env_dir = os.path.join(work, "data")
        os.environ["Appliance__Engine__AnsibleDirectory"] = ANSIBLE
        proc, _ = start(command, env_dir, port)
        post_json(port, "/api/v1/setup", {"username": USER, "password": PASSWORD})
        _, body = call(port, "", "POST", "/api/v1/token", {"username": USER, "password": PASSWORD})
        token = json.loads(body)["access_token"]
        call(port, token, "PUT", "/api/v1/configuration",
             {"environmentPrefix": "prod", "baseDomain": "example.local", "concurrentUsers": 800, "products": ["GCO"], "version": 0})
        for _ in range(WARMUP):  # warm-up: the appliance's JIT tiers up during its first role runs
            engine_once(port, token)
            plain_once(work)
        engine, plain = [], []
        for _ in range(RUNS):
            engine.append(engine_once(port, token, proc.pid))
            plain.append(plain_once(work))
        e, p = statistics.median(engine), statistics.median(plain)
        result = {
            "runs": RUNS,
            "engine_median_s": round(e, 3),
            "plain_ansible_playbook_median_s": round(p, 3),
            "overhead_ms": round((e - p) * 1000, 1),
            "overhead_percent": round((e - p) / p * 100, 1),
            "engine_role_median_s": round(statistics.median(ROLE_SECONDS[WARMUP:]), 3),
            "appliance_cpu_per_run_median_ms": round(statistics.median(APPLIANCE_CPU) * 1000),
            "engine_all_s": [round(x, 3) for x in engine],
            "plain_all_s": [round(x, 3) for x in plain],
            "target": "<= 5 % or <= 100 ms per role",
        }
        save("engine_overhead.json", result)
        logs = os.path.join(env_dir, "logs")
        for name in sorted(os.listdir(logs)) if os.path.isdir(logs) else []:
            with open(os.path.join(logs, name)) as f:
                for line in f:
                    if "ended {Status}" in line:
                        e = json.loads(line)
                        PHASES.append((e["Total"], e["Prepared"], e["Process"], e["After"]))
        if PHASES:
            t, w, a, s_ = (statistics.median(x[i] for x in PHASES[WARMUP:]) for i in range(4))
            print(json.dumps({"engine_role_phases_median_ms": {"total": round(t), "workspace": round(w), "ansible_playbook": round(a), "events_and_status": round(s_)}}))
    finally:
        if proc is not None:
            stop(proc)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
