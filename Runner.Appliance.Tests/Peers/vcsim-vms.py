#!/usr/bin/python3
"""What the provisioning tests read from and do to a vCenter (vcsim), over SOAP with Debian's pyVmomi.
    vcsim-vms.py HOST PORT USER list                      the VMs as JSON: vCPU, memory, disks (GB), NICs' networks,
                                                          folder, power state, template flag, guest host name and IPs
    vcsim-vms.py HOST PORT USER template NAME FOLDER      power NAME off and mark it a template (what a site's
                                                          template is), and create the VM folder path FOLDER ("Runner/Prod")
    vcsim-vms.py HOST PORT USER power-off NAME            power a VM off (a VM a previous run left half-done)
The password comes on stdin, never on a command line."""
import json
import ssl
import sys
import time

from pyVim.connect import SmartConnect, Disconnect
from pyVmomi import vim


def wait(task):
    while task.info.state not in ("success", "error"):
        time.sleep(0.05)
    if task.info.state == "error":
        raise RuntimeError(task.info.error.msg)


def folder_path(entity):
    parts = []
    while entity is not None and not isinstance(entity, vim.Datacenter):
        parts.append(entity.name)
        entity = entity.parent
    return "/" + "/".join(([entity.name] if entity is not None else []) + list(reversed(parts)))


def describe(vm):
    hardware = vm.config.hardware
    disks = [d.capacityInKB // (1024 * 1024) for d in hardware.device if isinstance(d, vim.vm.device.VirtualDisk)]
    networks = []
    for device in hardware.device:
        if isinstance(device, vim.vm.device.VirtualEthernetCard):
            backing = device.backing
            if isinstance(backing, vim.vm.device.VirtualEthernetCard.DistributedVirtualPortBackingInfo):
                key = backing.port.portgroupKey
                networks.append(next((n.name for n in vm.network if getattr(n, "key", None) == key), key))
            else:
                networks.append(backing.deviceName)
    ips = sorted({ip for nic in (vm.guest.net or []) for ip in (nic.ipAddress or [])})
    return {
        "name": vm.name, "vcpu": hardware.numCPU, "memoryMb": hardware.memoryMB, "disksGb": disks, "networks": networks,
        "folder": folder_path(vm.parent), "power": str(vm.runtime.powerState), "template": bool(vm.config.template),
        "hostName": vm.guest.hostName, "ips": ips,
    }


def find(content, name):
    view = content.viewManager.CreateContainerView(content.rootFolder, [vim.VirtualMachine], True)
    try:
        return [vm for vm in view.view if vm.name == name]
    finally:
        view.Destroy()


def main():
    host, port, user, command, args = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5:]
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # vcsim's own certificate; the roles under test verify it their way
    si = SmartConnect(host=host, port=port, user=user, pwd=sys.stdin.readline().rstrip("\n"), sslContext=context)
    try:
        content = si.RetrieveContent()
        if command == "list":
            view = content.viewManager.CreateContainerView(content.rootFolder, [vim.VirtualMachine], True)
            print(json.dumps(sorted((describe(vm) for vm in view.view), key=lambda v: v["name"])))
            view.Destroy()
        elif command == "template":
            (vm,) = find(content, args[0])
            if vm.runtime.powerState != vim.VirtualMachinePowerState.poweredOff:
                wait(vm.PowerOffVM_Task())
            vm.MarkAsTemplate()
            parent = content.rootFolder.childEntity[0].vmFolder
            for name in args[1].strip("/").split("/"):
                existing = [f for f in parent.childEntity if isinstance(f, vim.Folder) and f.name == name]
                parent = existing[0] if existing else parent.CreateFolder(name)
        elif command == "power-off":
            (vm,) = find(content, args[0])
            wait(vm.PowerOffVM_Task())
        else:
            raise SystemExit("unknown command " + command)
    finally:
        Disconnect(si)


main()
