#!/bin/bash
# Throw-away Debian *machines* on one host, for converging Ansible roles for real: each machine is a
# Debian 12 root filesystem (debootstrap, built once and cached) under a copy-on-write overlay of its
# own, booted with systemd as PID 1 of its own PID/mount/UTS/IPC/cgroup namespaces and its own network
# namespace on a private bridge, ssh as root with a generated key, no route out. A role that installs
# packages, writes /etc, adds users or restarts services changes only that machine.
# Adapted for Runner Appliance's tests from shared/reference/systemd-machines.sh: every name comes from
# the caller (Peers/SystemdMachines.cs holds the host-wide locks on them), so that several test classes
# hold machines at once, and what a dead run left under the same names is removed first.
# Needs root, debootstrap (build only), iproute2, nftables, openssh-client, util-linux.
#
#   ./machines.sh build        the base root fs, once: $CACHE/rootfs-$SUITE (a link to the build of this
#                              package list and customisation; rebuilt when their hash changes)
#   ./machines.sh prepare N    the network and N machines m1..mN at $NET.(10+i), not booted: overlays,
#                              keys, /etc/hosts, $BASE/inventory.json (what a dead run left is removed first)
#   ./machines.sh boot I       boot machine I in the foreground (returns when it is powered off)
#   ./machines.sh up N         prepare, then boot each in the background (returns once each systemd runs:
#                              `systemctl is-system-running` tells when it has booted)
#   ./machines.sh status       each machine's systemd pid and `systemctl is-system-running`
#   ./machines.sh exec I CMD…  run a command inside machine I (its root, its namespaces, its cgroup)
#   ./machines.sh stop I [graceful]   power machine I off (SIGKILL to its PID 1, or `poweroff`)
#   ./machines.sh start I      boot machine I again in the background (its overlay, hence its state, is kept)
#   ./machines.sh down         power everything off, unmount, delete links, namespaces, cgroups, rules
#   ./machines.sh inventory    JSON inventory for ansible-playbook -i
#
# Isolation, and what it is not: root in a machine is root on this host (no user namespace), it only
# sees less. /proc/sys is read-only except net.* (per network namespace), /sys is read-only, /dev is a
# private tmpfs with the usual character devices, cgroups are the machine's own subtree (name=systemd
# and the unified hierarchy only: no resource controllers). No route out: the machine's only link is a
# veth on the bridge, and an nftables table of this set rejects, on the host, every packet from the
# bridge that is forwarded or addressed to anything but the gateway ($NET.1): the test's servers bind
# there.
set -euo pipefail

CACHE=${CACHE:-/var/tmp/runner-appliance-machines}
BASE=${BASE:-/var/tmp/runner-appliance-machines/set}
PREFIX=${PREFIX:-rm0}
NET=${NET:-10.202.0}
BR=${BR:-${PREFIX}br}
SUITE=${SUITE:-bookworm}
GW=$NET.1
CG=runner-machines
# the mirror this machine's apt already uses (deb822 or one-line sources), unless MIRROR is given
MIRROR=${MIRROR:-$(grep -hoE '^URIs: *[^ ]+' /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -v security | head -1 | sed 's/^URIs: *//' || true)}
MIRROR=${MIRROR:-$(grep -hoE '^deb +(\[[^]]*\] +)?[^ ]+' /etc/apt/sources.list 2>/dev/null | head -1 | awk '{print $NF}' || true)}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
# what roles need to converge: systemd + dbus (systemd module), python3 + python3-apt (apt module),
# sshd, sudo (become), iproute2 and procps (facts), curl and ca-certificates (reaching the appliance),
# unarchive's tools, netbase (/etc/services, /etc/protocols)
PACKAGES=${PACKAGES:-systemd,systemd-sysv,dbus,openssh-server,python3,python3-apt,sudo,iproute2,procps,ca-certificates,curl,netbase,iputils-ping,xz-utils,unzip,zstd,less}

ns()    { echo "${PREFIX}m$1"; }
veth()  { echo "${PREFIX}v$1"; }
ip_of() { echo "$NET.$((10 + $1))"; }
mdir()  { echo "$BASE/$(ns "$1")"; }
# the machine's systemd (PID 1 of its namespaces): the child of its launcher, seen from here; 0 when off
spid() {
  local d l c; d=$(mdir "$1"); l=$(cat "$d/launcher.pid" 2>/dev/null || echo 0)
  if [ "$l" != 0 ] && tr '\0' ' ' <"/proc/$l/cmdline" 2>/dev/null | grep -qF "$d/boot.sh"; then
    for c in $(pgrep -P "$l" 2>/dev/null || true); do is_systemd "$c" && { echo "$c"; return 0; }; done
  fi
  echo 0
}
table() { echo "runner_machines_$PREFIX"; }
# The host's cgroup v2 hierarchy (unified, or the hybrid layout's /sys/fs/cgroup/unified): a machine
# gets a subtree of it and sees nothing else. Never a v1 hierarchy: its systemd would mount the v1
# controllers and create its units' cgroups in the host's (no cgroup namespace hides their roots).
cgroot() {
  local c
  for c in /sys/fs/cgroup/unified /sys/fs/cgroup; do
    [ "$(stat -f -c %T "$c" 2>/dev/null)" = cgroup2fs ] && { echo "$c"; return 0; }
  done
  echo "no cgroup2 hierarchy mounted on this host (/sys/fs/cgroup or /sys/fs/cgroup/unified)" >&2; return 1
}
is_systemd() { tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -q '^/lib/systemd/systemd '; }

# --- the base root fs -------------------------------------------------------------------------------
# What is done to the root fs after debootstrap. Its text is part of the rootfs hash: change it (or the
# package list, or the suite) and the next build makes a new root fs.
customize() {
  local r=$1
  # a machine's console is not a terminal: no getty
  local u; for u in getty@tty1.service console-getty.service serial-getty@console.service \
    sys-kernel-debug.mount sys-kernel-tracing.mount sys-kernel-config.mount sys-fs-fuse-connections.mount; do
    ln -sfn /dev/null "$r/etc/systemd/system/$u"   # masked; and the host's debugfs/tracefs/configfs stay out
  done
  mkdir -p "$r/etc/systemd/journald.conf.d"
  printf '[Journal]\nStorage=volatile\n' >"$r/etc/systemd/journald.conf.d/volatile.conf"
  # per machine at boot: host keys, machine id, host name
  rm -f "$r"/etc/ssh/ssh_host_* && : >"$r/etc/machine-id" && rm -f "$r/var/lib/dbus/machine-id"
  printf 'HostKey /etc/ssh/ssh_host_ed25519_key\nPasswordAuthentication no\nKbdInteractiveAuthentication no\nPermitRootLogin prohibit-password\nUseDNS no\nMaxStartups 50:30:100\nMaxSessions 50\n' \
    >"$r/etc/ssh/sshd_config.d/machines.conf"
  # no network beyond the bridge: no mirror, no name server; the test configures the repository it serves
  : >"$r/etc/apt/sources.list"; rm -rf "$r"/var/lib/apt/lists/* "$r"/var/cache/apt/*.bin
  printf '# no name server: the machines reach only their bridge\n' >"$r/etc/resolv.conf"
}

rootfs_hash() { printf '%s\n' "$SUITE" "$PACKAGES" "$(declare -f customize)" | sha256sum | cut -c1-12; }

# Builds $CACHE/rootfs-$SUITE.<hash> when missing and points $CACHE/rootfs-$SUITE at it; then removes
# the builds of other hashes that no mounted overlay uses. The caller holds the host-wide lock on it.
build() {
  local h link real tmp
  h=$(rootfs_hash); link=$CACHE/rootfs-$SUITE; real=$link.$h
  mkdir -p "$CACHE"
  if [ ! -f "$real/.built" ]; then
    command -v debootstrap >/dev/null || { echo "debootstrap is not installed (../test.sh installs it)" >&2; return 1; }
    tmp=$real.tmp; rm -rf "$tmp"
    echo "building $real from $MIRROR ($SUITE: $PACKAGES)"
    local t0=$SECONDS
    mkdir -p "$CACHE/debs"
    # the downloaded packages are kept: a rebuild for a new customisation downloads only what changed
    if ! debootstrap --variant=minbase --cache-dir="$CACHE/debs" --include="$PACKAGES" "$SUITE" "$tmp" "$MIRROR" >"$CACHE/debootstrap.log" 2>&1; then
      echo "debootstrap failed, see $CACHE/debootstrap.log:" >&2; tail -n 20 "$CACHE/debootstrap.log" >&2; return 1
    fi
    customize "$tmp"
    printf '%s\n%s\n%s\n' "$h" "$SUITE" "$PACKAGES" >"$tmp/.built"
    mv -T "$tmp" "$real"
    echo "built $real in $((SECONDS - t0)) s ($(du -sm "$real" | cut -f1) MB)"
  fi
  [ "$(readlink "$link" 2>/dev/null)" = "${real##*/}" ] || { ln -sfn "${real##*/}" "$link.new" && mv -T "$link.new" "$link"; }
  for old in "$CACHE/rootfs-$SUITE".*; do
    [ -d "$old" ] && [ "$old" != "$real" ] || continue
    grep -q "lowerdir=$old[,:]" /proc/self/mountinfo || { rm -rf "$old" && echo "removed old root fs $old"; }
  done
  echo "rootfs: $real"
}

# --- the set's network ------------------------------------------------------------------------------
network() {
  ip link show "$BR" >/dev/null 2>&1 || {
    ip link add "$BR" type bridge
    ip addr add "$GW/24" dev "$BR"
    ip link set "$BR" up
  }
  # What comes in from the bridge is refused (an ICMP error: a connection out fails at once instead of
  # timing out) unless it is for the set's own subnet: the gateway (this host, where the tests' servers
  # bind) and the other machines. Nothing is forwarded in or out of the bridge, whatever
  # net.ipv4.ip_forward says now or later. IPv6 from the machines to this host: neighbour discovery only.
  nft -f - <<EOF
table inet $(table)
delete table inet $(table)
table inet $(table) {
  chain prerouting {
    type filter hook prerouting priority -10; policy accept;
    iifname "$BR" meta nfproto ipv4 ip daddr != $NET.0/24 counter reject with icmpx type admin-prohibited
    iifname "$BR" meta nfproto ipv6 meta l4proto != ipv6-icmp counter reject with icmpx type admin-prohibited
  }
  chain forward {
    type filter hook forward priority -10; policy accept;
    iifname "$BR" oifname "$BR" accept
    iifname "$BR" counter reject with icmpx type admin-prohibited
    oifname "$BR" counter reject with icmpx type admin-prohibited
  }
}
EOF
}

keys() {
  mkdir -p "$BASE"; chmod 700 "$BASE"
  [ -f "$BASE/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C runner-machines -f "$BASE/id_ed25519"
}

# --- one machine ------------------------------------------------------------------------------------
prepare() {
  local i=$1 d root n lower
  d=$(mdir "$i"); root=$d/root; n=$(ns "$i")
  lower=$(readlink -f "$CACHE/rootfs-$SUITE")
  [ -f "$lower/.built" ] || { echo "no root fs: run build first" >&2; return 1; }
  mkdir -p "$d/upper" "$d/work" "$root"
  mountpoint -q "$root" || mount -t overlay overlay -o "lowerdir=$lower,upperdir=$d/upper,workdir=$d/work" "$root"
  echo "m$i" >"$root/etc/hostname"
  [ -s "$root/etc/machine-id" ] || tr -d '-' </proc/sys/kernel/random/uuid >"$root/etc/machine-id"
  [ -f "$root/etc/ssh/ssh_host_ed25519_key" ] || ssh-keygen -q -t ed25519 -N '' -C "m$i" -f "$root/etc/ssh/ssh_host_ed25519_key"
  mkdir -p "$root/root/.ssh"; chmod 700 "$root/root/.ssh"
  cp "$BASE/id_ed25519.pub" "$root/root/.ssh/authorized_keys"; chmod 600 "$root/root/.ssh/authorized_keys"
  # network: a veth from the bridge into the machine's own netns, configured from outside
  [ -e "/run/netns/$n" ] || ip netns add "$n"
  if ! ip link show "$(veth "$i")" >/dev/null 2>&1; then
    ip link add "$(veth "$i")" type veth peer name eth0 netns "$n"
    ip link set "$(veth "$i")" master "$BR" up
    ip -n "$n" addr add "$(ip_of "$i")/24" dev eth0
    ip -n "$n" link set eth0 up
    ip -n "$n" link set lo up
    ip -n "$n" route add default via "$GW"
  fi
  mkdir -p "$(cgroot)/$CG/$n"
  cat >"$d/boot.sh" <<EOF
#!/bin/sh
# PID 1 of machine m$i until it execs systemd: its own root, /proc, /sys, /dev, /run, cgroups
set -e
hostname m$i
R=$root
mount -t proc -o nosuid,nodev,noexec proc \$R/proc
mount --bind \$R/proc/sys \$R/proc/sys && mount -o remount,bind,ro \$R/proc/sys
mount --bind \$R/proc/sys/net \$R/proc/sys/net && mount -o remount,bind,rw \$R/proc/sys/net
mount -t sysfs -o ro,nosuid,nodev,noexec sysfs \$R/sys
# cgroup v2 only, rooted at the machine's own cgroup (this cgroup namespace's root)
mount -t cgroup2 -o nosuid,nodev,noexec cgroup2 \$R/sys/fs/cgroup
mount -t tmpfs -o mode=0755,nosuid,size=16m tmpfs \$R/dev
for n in null zero full random urandom tty; do touch \$R/dev/\$n; mount --bind /dev/\$n \$R/dev/\$n; done
touch \$R/dev/console; mount --bind /dev/null \$R/dev/console
mkdir \$R/dev/pts \$R/dev/shm \$R/dev/mqueue
mount -t devpts -o newinstance,ptmxmode=0666,mode=0620,gid=5,nosuid,noexec devpts \$R/dev/pts
ln -s pts/ptmx \$R/dev/ptmx
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs \$R/dev/shm
mount -t mqueue -o nosuid,nodev,noexec mqueue \$R/dev/mqueue
ln -s /proc/self/fd \$R/dev/fd; ln -s /proc/self/fd/0 \$R/dev/stdin; ln -s /proc/self/fd/1 \$R/dev/stdout; ln -s /proc/self/fd/2 \$R/dev/stderr
mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs \$R/run
# the machine's root becomes / of its mount namespace: no mount of the host is left in it
cd \$R
pivot_root . .
umount -l .
exec /usr/bin/env -i container=other /lib/systemd/systemd --system
EOF
  chmod +x "$d/boot.sh"
}

# Boots machine I in the foreground: this process becomes the launcher (unshare), whose child is the
# machine's systemd, and returns when the machine is powered off. SystemdMachines.cs runs it as a child
# process, so that it is reaped the moment the machine stops.
boot() {
  local i=$1 d n
  d=$(mdir "$i"); n=$(ns "$i")
  if [ "$(spid "$i")" != 0 ]; then echo "m$i already running" >&2; return 1; fi
  prepare "$i"
  echo "$$" >"$d/launcher.pid"
  # Into the machine's own cgroup first (its cgroup namespace is rooted there), then its network
  # namespace (nsenter: under `ip netns exec`, whose own /sys remount, systemd exits at once), then
  # new PID/mount/UTS/IPC/cgroup namespaces; boot.sh execs systemd as their PID 1.
  echo "$$" >"$(cgroot)/$CG/$n/cgroup.procs"
  exec nsenter --net="/run/netns/$n" unshare --fork --pid --mount --uts --ipc --cgroup --propagation private "$d/boot.sh" </dev/null
}

# Boots machine I in the background (for use by hand), returns once its systemd runs.
start() {
  local i=$1 d
  d=$(mdir "$i")
  if [ "$(spid "$i")" != 0 ]; then echo "m$i already running"; return; fi
  prepare "$i"
  setsid bash "$(readlink -f "$0")" boot "$i" </dev/null >"$d/console.log" 2>&1 &
  for _ in $(seq 200); do [ "$(spid "$i")" != 0 ] && break; sleep 0.05; done
  [ "$(spid "$i")" != 0 ] || { echo "m$i: systemd did not start: $(cat "$d/console.log")" >&2; return 1; }
  echo "m$i: systemd pid $(spid "$i"), $(ip_of "$i"), netns $(ns "$i")"
}

in_machine() {
  local i=$1 pid c n; shift; pid=$(spid "$i"); n=$(ns "$i")
  is_systemd "$pid" || { echo "m$i is not running" >&2; return 125; }
  echo "$BASHPID" >"$(cgroot)/$CG/$n/cgroup.procs"
  exec nsenter -t "$pid" -m -u -i -n -p -C --root="/proc/$pid/root" --wd="/proc/$pid/root/root" \
    /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"
}

# every process still in a machine's cgroup subtree, as seen from here (a zombie is gone: its parent,
# the test process or init, reaps it)
cg_pids() {
  local c p; c=$(cgroot)/$CG/$1; [ -d "$c" ] || return 0
  for p in $(find "$c" -name cgroup.procs -exec cat {} + 2>/dev/null); do
    [ "$(awk '{print $3}' "/proc/$p/stat" 2>/dev/null)" = Z ] || echo "$p"
  done
}

cg_remove() { local c; c=$(cgroot)/$CG/$1; [ -d "$c" ] && find "$c" -depth -type d -exec rmdir {} + 2>/dev/null; return 0; }

stop() {
  local i=$1 how=${2:-kill} pid n left; pid=$(spid "$i"); n=$(ns "$i")
  if [ "$pid" != 0 ]; then
    if [ "$how" = graceful ]; then
      kill -s SIGRTMIN+4 "$pid"   # systemd's poweroff.target: units stopped in order
      for _ in $(seq 600); do is_systemd "$pid" || break; sleep 0.05; done
    fi
    # SIGKILL to a PID namespace's init ends every process in it (ssh sessions included)
    kill -9 "$pid" 2>/dev/null || true
  fi
  for _ in $(seq 100); do [ -z "$(cg_pids "$n")" ] && break; sleep 0.05; done
  left=$(cg_pids "$n" | tr '\n' ' ')
  if [ -n "${left// }" ]; then
    kill -9 $left 2>/dev/null || true
    for _ in $(seq 100); do [ -z "$(cg_pids "$n")" ] && break; sleep 0.05; done
    [ -z "$(cg_pids "$n")" ] || { echo "m$i: processes left in its cgroup: $(cg_pids "$n" | tr '\n' ' ')" >&2; return 1; }
  fi
  rm -f "$(mdir "$i")/launcher.pid"
  echo "m$i: off"
}

unmount() {
  local root=$1
  mountpoint -q "$root" || return 0
  umount "$root" 2>/dev/null || umount -l "$root"
}

# Machines, namespaces, veths, cgroups, mounts, bridge and rules named after PREFIX that a run which
# died left behind. The caller holds the host-wide locks on these names (Peers/HostLock.cs), so no live
# run owns them: remove them before building anew.
leftovers() {
  local n p l m c
  c=$(cgroot)
  for m in "$c/$CG/$PREFIX"m*; do
    [ -d "$m" ] || continue; n=${m##*/}
    p=$(cg_pids "$n" | tr '\n' ' '); [ -z "${p// }" ] || { kill -9 $p 2>/dev/null || true; echo "leftover processes of $n killed"; }
  done
  for n in $(ip netns list | awk '{print $1}' | grep -E "^${PREFIX}m[0-9]+$" || true); do
    for p in $(ip netns pids "$n" 2>/dev/null); do kill -9 "$p" 2>/dev/null || true; done
  done
  for n in $(ip netns list | awk '{print $1}' | grep -E "^${PREFIX}m[0-9]+$" || true); do
    for _ in $(seq 100); do [ -z "$(cg_pids "$n")$(ip netns pids "$n" 2>/dev/null)" ] && break; sleep 0.05; done
    ip netns del "$n" && echo "leftover netns $n deleted"
  done
  awk -v re="/${PREFIX}m[0-9]+/root\$" '$5 ~ re { for (i = 7; i < NF; i++) if ($i == "-") { if ($(i + 1) == "overlay") print $5; break } }' \
    /proc/self/mountinfo | while read -r m; do
    unmount "$m" && echo "leftover overlay $m unmounted"
    rm -rf "${m%/root}" && rmdir "${m%/*/root}" 2>/dev/null || true
  done
  for m in "$c/$CG/$PREFIX"m*; do [ -d "$m" ] && cg_remove "${m##*/}" && echo "leftover cgroup $m removed"; done
  for l in $(ip -o link show | awk -F': ' '{print $2}' | cut -d@ -f1 | grep -E "^${PREFIX}v[0-9]+$" || true); do
    ip link del "$l" && echo "leftover veth $l deleted"
  done
  if ip link show "$BR" >/dev/null 2>&1; then ip link del "$BR" && echo "leftover bridge $BR deleted"; fi
  if nft list table inet "$(table)" >/dev/null 2>&1; then nft delete table inet "$(table)" && echo "leftover table $(table) deleted"; fi
  return 0
}

# The set's network and N prepared machines (overlay, keys, host names, inventory), nothing booted.
prepare_set() {
  local count=$1 i j
  leftovers
  keys
  network
  : >"$BASE/known_hosts"
  for i in $(seq 1 "$count"); do
    prepare "$i"
    echo "$(ip_of "$i") $(cut -d' ' -f1,2 "$(mdir "$i")/root/etc/ssh/ssh_host_ed25519_key.pub")" >>"$BASE/known_hosts"
  done
  # every machine knows the others by name
  for i in $(seq 1 "$count"); do
    { printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n'
      for j in $(seq 1 "$count"); do printf '%s\tm%s\n' "$(ip_of "$j")" "$j"; done; } >"$(mdir "$i")/root/etc/hosts"
  done
  inventory >"$BASE/inventory.json"
  echo "inventory: $BASE/inventory.json"
}

up() { local i; prepare_set "$1"; for i in $(seq 1 "$1"); do start "$i"; done; }

down() {
  local d i
  for d in "$BASE/$PREFIX"m[0-9]*; do
    [ -d "$d" ] || continue
    i=${d##*/"$PREFIX"m}
    stop "$i" >/dev/null || true
    unmount "$d/root"
    cg_remove "$(ns "$i")"
    ip link del "$(veth "$i")" 2>/dev/null || true
    [ -e "/run/netns/$(ns "$i")" ] && ip netns del "$(ns "$i")"
  done
  ip link del "$BR" 2>/dev/null || true
  nft delete table inet "$(table)" 2>/dev/null || true
  # ansible ControlPersist masters left under the set's control path dir
  for s in "$BASE"/cp/*; do [ -S "$s" ] && ssh -o ControlPath="$s" -O exit dummy 2>/dev/null || true; done
  leftovers >/dev/null
}

inventory() {
  local d i sep=""
  printf '{"all":{"hosts":{'
  for d in "$BASE/$PREFIX"m[0-9]*; do
    [ -d "$d" ] || continue; i=${d##*/"$PREFIX"m}
    printf '%s"m%s":{"ansible_host":"%s"}' "$sep" "$i" "$(ip_of "$i")"; sep=","
  done
  printf '},"vars":{"ansible_connection":"ssh","ansible_user":"root","ansible_port":22,'
  printf '"ansible_ssh_private_key_file":"%s","ansible_ssh_common_args":"-o UserKnownHostsFile=%s -o StrictHostKeyChecking=yes",' "$BASE/id_ed25519" "$BASE/known_hosts"
  printf '"ansible_ssh_timeout":10,"ansible_python_interpreter":"/usr/bin/python3"}}}\n'
}

status() {
  local d i
  for d in "$BASE/$PREFIX"m[0-9]*; do
    [ -d "$d" ] || continue; i=${d##*/"$PREFIX"m}
    printf 'm%s %s pid %s %s\n' "$i" "$(ip_of "$i")" "$(spid "$i")" "$( (in_machine "$i" /usr/bin/systemctl is-system-running) 2>/dev/null || true)"
  done
}

case "${1:-}" in
  build) build ;;
  prepare) prepare_set "${2:-2}" ;;
  up) up "${2:-2}" ;;
  boot) boot "$2" ;;
  start) start "$2" ;;
  stop) stop "$2" "${3:-kill}" ;;
  exec) i=$2; shift 2; in_machine "$i" "$@" ;;
  status) status ;;
  down) down ;;
  leftovers) leftovers ;;
  inventory) inventory ;;
  *) sed -n '2,21p' "$0"; exit 2 ;;
esac
