#!/bin/bash
# Throw-away SSH "target hosts" on one Linux machine: network namespaces + private bridge
# + one Debian sshd per namespace, all state under $BASE. Needs root, iproute2, openssh-server.
# Adapted for Runner Appliance's tests: BASE, BR, NET and PREFIX (namespace/veth names) come from
# the caller so that test classes do not collide, and LOGIN (default "runner") is a login name
# that exists only inside the targets' private mount namespace (a bind-mounted copy of
# /etc/passwd and /etc/shadow maps it to uid 0), since the appliance refuses root as deployment user.
#
#   ./targets.sh up [N]      create N targets (default 2): netns apt1..aptN, 10.200.0.(10+i)
#                            (first removing what a dead run left under these names)
#   ./targets.sh status      show namespaces / sshd pids / listening sockets
#   ./targets.sh kill I      stop sshd of target I only (to simulate an unreachable host)
#   ./targets.sh start I     (re)start sshd of target I
#   ./targets.sh down        stop every sshd started here (by pid), delete netns, veths, bridge
#   ./targets.sh inventory   print a JSON inventory for ansible (-i file.json)
#
# No system-wide changes: sshd runs with a private config (-f), private host keys,
# private authorized_keys and pid file; the privsep dir /run/sshd is created on a
# tmpfs mounted over /run *inside the namespace's private mount namespace*
# (ip netns exec already unshares the mount ns and makes / rslave), so the host's
# /run is untouched. Client side: pinned host keys in $BASE/known_hosts.
#
# Use with ansible (keeps ssh mux sockets out of ~/.ansible/cp, 1 ssh round trip per task):
#   export ANSIBLE_SSH_CONTROL_PATH_DIR=$BASE/cp ANSIBLE_PIPELINING=True
#   ansible-playbook -i $BASE/inventory.json run_role_static.yml -e role_name=X
#
# CAVEAT: a netns isolates only the network. Targets share the host's filesystem,
# users, processes and /usr/bin/python3 - a role that changes files changes THIS machine.
set -euo pipefail

BASE=${BASE:-/var/tmp/netns-targets}
BR=${BR:-apbr0}
NET=${NET:-10.200.0}
PREFIX=${PREFIX:-apt}
LOGIN=${LOGIN:-runner}
GW=$NET.1
SSHD=/usr/sbin/sshd

ns()   { echo "$PREFIX$1"; }
ip_of(){ echo "$NET.$((10 + $1))"; }
tdir() { echo "$BASE/t$1"; }

keys() {
  mkdir -p "$BASE"; chmod 700 "$BASE"
  [ -f "$BASE/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C netns-targets -f "$BASE/id_ed25519"
  cp "$BASE/id_ed25519.pub" "$BASE/authorized_keys"; chmod 600 "$BASE/authorized_keys"
}

start_sshd() {
  local i=$1 d; d=$(tdir "$i")
  mkdir -p "$d"
  [ -f "$d/ssh_host_ed25519_key" ] || ssh-keygen -q -t ed25519 -N '' -C "t$i" -f "$d/ssh_host_ed25519_key"
  cat > "$d/sshd_config" <<EOF
Port 22
ListenAddress $(ip_of "$i")
HostKey $d/ssh_host_ed25519_key
PidFile $d/sshd.pid
AuthorizedKeysFile $BASE/authorized_keys
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
# /tmp is world-writable: StrictModes would reject authorized_keys below it
StrictModes no
UseDNS no
PrintMotd no
MaxSessions 20
MaxStartups 50:30:100
Subsystem sftp /usr/lib/openssh/sftp-server
LogLevel INFO
# Debian bash sources ~/.bashrc for every ssh command when SHLVL<1; this dev box's
# /root/.bashrc runs "pyenv init" (~1 s per ssh command). SHLVL=1 skips it, like a clean target.
SetEnv SHLVL=1
EOF
  cp /etc/passwd "$d/passwd"; cp /etc/shadow "$d/shadow"
  grep -q "^$LOGIN:" "$d/passwd" || echo "$LOGIN:x:0:0:$LOGIN:$d:/bin/sh" >> "$d/passwd"
  grep -q "^$LOGIN:" "$d/shadow" || echo "$LOGIN:*:19000:0:99999:7:::" >> "$d/shadow"
  # sshd daemonizes; the daemon keeps the private mount namespace alive
  ip netns exec "$(ns "$i")" /bin/sh -c \
    "mount -t tmpfs -o mode=0755,size=1m tmpfs /run && mkdir -m 0755 /run/sshd && mount --bind '$d/passwd' /etc/passwd && mount --bind '$d/shadow' /etc/shadow && $SSHD -t -f '$d/sshd_config' && exec $SSHD -f '$d/sshd_config' -E '$d/sshd.log'"
  for _ in $(seq 50); do [ -s "$d/sshd.pid" ] && break; sleep 0.1; done
  [ -s "$d/sshd.pid" ] || { echo "t$i: sshd wrote no pid file within 5 s: $(cat "$d/sshd.log" 2>/dev/null)" >&2; return 1; }
  echo "t$i: sshd pid $(cat "$d/sshd.pid") on $(ip_of "$i"):22 (netns $(ns "$i"))"
}

stop_sshd() {
  local i=$1 d pid; d=$(tdir "$i")
  pid=$(cat "$d/sshd.pid" 2>/dev/null || echo 0)
  # only kill it if it really is our sshd (config path in its cmdline)
  if tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$d/sshd_config"; then
    kill "$pid"; for _ in $(seq 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    echo "t$i: sshd listener $pid stopped"
  fi
  rm -f "$d/sshd.pid"
  # killing the listener does NOT drop established sessions (incl. ansible's ControlPersist
  # connections): also stop every remaining sshd process living in this target's netns
  for p in $(ip netns pids "$(ns "$i")" 2>/dev/null); do
    [ "$(cat /proc/$p/comm 2>/dev/null)" = sshd ] && kill "$p" && echo "t$i: sshd session $p stopped"
  done
  return 0
}

count() { ls -d "$BASE"/t[0-9]* 2>/dev/null | wc -l; }

# Namespaces, veths and the bridge named after PREFIX / BR that a run which died left behind (its sshd
# still serving in them). The caller holds the host-wide lock on these names (Peers/HostLock.cs), so no
# live run owns them: remove them before building anew.
leftovers() {
  local n l
  for n in $(ip netns list | awk '{print $1}' | grep -E "^${PREFIX}[0-9]+$" || true); do
    for p in $(ip netns pids "$n" 2>/dev/null); do kill "$p" 2>/dev/null || true; done
    ip netns del "$n" && echo "leftover netns $n deleted"
  done
  for l in $(ip -o link show | awk -F': ' '{print $2}' | cut -d@ -f1 | grep -E "^${PREFIX}v[0-9]+$" || true); do
    ip link del "$l" && echo "leftover veth $l deleted"
  done
  if ip link show "$BR" >/dev/null 2>&1; then ip link del "$BR" && echo "leftover bridge $BR deleted"; fi
  return 0
}

up() {
  local n=${1:-2}
  leftovers
  keys
  ip link show "$BR" >/dev/null 2>&1 || {
    ip link add "$BR" type bridge
    ip addr add "$GW/24" dev "$BR"
    ip link set "$BR" up
  }
  : > "$BASE/known_hosts"
  for i in $(seq 1 "$n"); do
    local n_s; n_s=$(ns "$i")
    if ! ip netns list | grep -qw "$n_s"; then
      ip netns add "$n_s"
      ip link add "${PREFIX}v$i" type veth peer name eth0 netns "$n_s"
      ip link set "${PREFIX}v$i" master "$BR" up
      ip -n "$n_s" addr add "$(ip_of "$i")/24" dev eth0
      ip -n "$n_s" link set lo up
      ip -n "$n_s" link set eth0 up
      ip -n "$n_s" route add default via "$GW"
    fi
    mkdir -p "$(tdir "$i")"
    start_sshd "$i"
    echo "$(ip_of "$i") $(cut -d' ' -f1,2 "$(tdir "$i")/ssh_host_ed25519_key.pub")" >> "$BASE/known_hosts"
  done
  inventory > "$BASE/inventory.json"
  echo "inventory: $BASE/inventory.json"
}

down() {
  local i
  for d in "$BASE"/t[0-9]*; do
    [ -d "$d" ] || continue
    i=${d##*/t}
    stop_sshd "$i" || true
    ip netns list | grep -qw "$(ns "$i")" && ip netns del "$(ns "$i")" && echo "netns $(ns "$i") deleted"
    ip link show "${PREFIX}v$i" >/dev/null 2>&1 && ip link del "${PREFIX}v$i" || true
  done
  ip link show "$BR" >/dev/null 2>&1 && ip link del "$BR" && echo "bridge $BR deleted" || true
  # ansible ControlPersist masters left behind under our private control path dir
  for s in "$BASE"/cp/*; do
    [ -S "$s" ] && ssh -o ControlPath="$s" -O exit dummy 2>/dev/null || true
  done
  return 0
}

inventory() {
  local first=1
  printf '{\n  "all": {\n    "hosts": {\n'
  for d in "$BASE"/t[0-9]*; do
    i=${d##*/t}
    [ $first -eq 1 ] || printf ',\n'; first=0
    printf '      "t%s": {"ansible_host": "%s"}' "$i" "$(ip_of "$i")"
  done
  cat <<EOF

    },
    "vars": {
      "ansible_connection": "ssh",
      "ansible_user": "root",
      "ansible_port": 22,
      "ansible_ssh_private_key_file": "$BASE/id_ed25519",
      "ansible_ssh_common_args": "-o UserKnownHostsFile=$BASE/known_hosts -o StrictHostKeyChecking=yes",
      "ansible_ssh_timeout": 5,
      "ansible_python_interpreter": "/usr/bin/python3"
    }
  }
}
EOF
}

status() {
  ip netns list
  ip -br addr show "$BR" 2>/dev/null || true
  for d in "$BASE"/t[0-9]*; do
    [ -d "$d" ] || continue
    i=${d##*/t}
    printf 't%s %s pid=%s ' "$i" "$(ip_of "$i")" "$(cat "$d/sshd.pid" 2>/dev/null || echo -)"
    ip netns exec "$(ns "$i")" ss -Hltn 2>/dev/null | awk '{printf "%s ", $4}'; echo
  done
}

case "${1:-}" in
  up) up "${2:-2}" ;;
  down) down ;;
  kill) stop_sshd "$2" ;;
  start) start_sshd "$2" ;;
  status) status ;;
  inventory) inventory ;;
  *) sed -n '2,20p' "$0"; exit 1 ;;
esac
