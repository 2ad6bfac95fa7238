#!/usr/bin/env python3
"""Latency of the architecture API on the published appliance, at the largest tier.

Configures XL (1,000,000 users, both products: 55 VMs in three zones), then reports medians over
N calls of: the generation preview, a regeneration with nothing to change, a hand edit of one VM,
the recap, the VM list, and the Ansible inventory export; plus the first generation (one call).
Only loopback is used. No target is set by issue #4: these figures are the baseline.
--smoke: one call of each on the Release build output, nothing kept (see startup.py).
"""
import json, os, shutil, statistics, sys, tempfile, time, urllib.error, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from startup import HTTP_TIMEOUT_S, SMOKE, USER, PASSWORD, free_port, publish, save, start, stop, post_json  # noqa: E402

CALLS = 1 if SMOKE else int(os.environ.get("BENCH_CALLS", "30"))


def call(port, token, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data, method=method,
                                 headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    t0 = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=HTTP_TIMEOUT_S) as r:
            payload = r.read()
    except urllib.error.HTTPError as e:
        raise SystemExit(f"{method} {path} answered {e.code}: {e.read().decode(errors='replace')[:2000]}") from e
    return time.perf_counter() - t0, payload


def median_ms(port, token, method, path, body_of=lambda i: None):
    times = [call(port, token, method, path, body_of(i))[0] for i in range(CALLS)]
    return round(statistics.median(times) * 1000, 1)


def configure(port, token):
    call(port, token, "PUT", "/api/v1/configuration",
         {"environmentPrefix": "prod", "baseDomain": "example.local", "concurrentUsers": 1_000_000, "products": ["EServices", "GCO"], "version": 0})
    call(port, token, "POST", "/api/v1/hypervisors",
         {"kind": "VCenter", "alias": "vc", "host": "vcenter.example.local", "username": "u", "password": {"newValue": "p"},
          "datacenter": "DC0", "cluster": "DC0_C0", "datastore": "LocalDS_0", "network": "VM Network", "template": "rhel9"})
    for name, vlan, prefix in [("LAN_INFRA", 10, "10.1.10"), ("LAN_APPS", 100, "10.1.100"), ("DMZ", 200, "10.1.200")]:
        call(port, token, "POST", "/api/v1/zones",
             {"name": name, "vlanId": vlan, "subnet": f"{prefix}.0/24", "gateway": f"{prefix}.1", "dnsServers": ["10.1.0.10"],
              "ntpServers": ["10.1.0.20"], "rangeStart": f"{prefix}.10", "rangeEnd": f"{prefix}.250", "hypervisor": "vc"})


def main():
    command = publish()
    work = tempfile.mkdtemp(prefix="runner-bench-")
    proc = None
    try:
        port = free_port()
        proc, _ = start(command, os.path.join(work, "data"), port)
        post_json(port, "/api/v1/setup", {"username": USER, "password": PASSWORD})
        _, body = call(port, "", "POST", "/api/v1/token", {"username": USER, "password": PASSWORD})
        token = json.loads(body)["access_token"]
        configure(port, token)

        first, body = call(port, token, "POST", "/api/v1/architecture/generate", {})
        vms = json.loads(body)["vmCount"]
        _, body = call(port, token, "GET", "/api/v1/virtual-machines?group=bastion")
        bastion = json.loads(body)[0]

        def edit(i):
            bastion["vcpu"] = 2 + (i % 2) * 2
            bastion["version"] = bastion.get("version", 1) + (1 if i > 0 else 0)
            return bastion

        result = {
            "vms": vms,
            "calls": CALLS,
            "first_generation_ms": round(first * 1000, 1),
            "preview_median_ms": median_ms(port, token, "POST", "/api/v1/architecture/generate", lambda i: {"preview": True}),
            "regenerate_no_change_median_ms": median_ms(port, token, "POST", "/api/v1/architecture/generate", lambda i: {}),
            "edit_vm_median_ms": median_ms(port, token, "PUT", f"/api/v1/virtual-machines/{bastion['id']}", edit),
            "recap_median_ms": median_ms(port, token, "GET", "/api/v1/architecture/recap"),
            "list_median_ms": median_ms(port, token, "GET", "/api/v1/virtual-machines"),
            "inventory_json_median_ms": median_ms(port, token, "GET", "/api/v1/architecture/inventory.json"),
        }
        if vms < 1:
            raise SystemExit(f"the generation made no VM: {result}")
        save("architecture.json", result)
    finally:
        if proc is not None:
            stop(proc)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
