#!/usr/bin/env bash
# Runs every test of Runner Appliance: installs what the tests need when it is missing, builds,
# runs the whole suite, then every bench once in smoke mode (bench/smoke.sh: each bench counts as one
# test), and ends with one plain line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"

# What the tests talk to. Each real peer a test starts comes from the distribution, never from
# the Internet at test time.
# ansible (with the collections the roles use: ansible.posix, community.general) runs the roles, ansible-lint checks them;
# haproxy, keepalived, sudo (and chrony, docker-registry) are repacked from this host for the test machines.
DEBIAN_PACKAGES=(chromium fonts-liberation openssh-client openssh-server iproute2 ansible-core
  golang-go golang-github-vmware-govmomi-dev python3-pyvmomi slapd ldap-utils postgresql python3-aiosmtpd dnsmasq-base chrony nginx dpkg-dev createrepo-c skopeo docker-registry debootstrap dpkg-repack nftables util-linux gnupg
  ansible ansible-lint haproxy keepalived sudo)
RHEL_PACKAGES=(chromium liberation-fonts openssh-clients openssh-server iproute ansible-core
  golang python3-pyvmomi openldap-servers openldap-clients postgresql-server python3-aiosmtpd dnsmasq chrony nginx dpkg-dev createrepo_c skopeo gnupg2)

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

install_prerequisites() {
  if command -v dpkg-query >/dev/null 2>&1; then
    local missing=()
    for p in "${DEBIAN_PACKAGES[@]}"; do
      dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
      echo "==> installing ${missing[*]}"
      as_root apt-get update -qq
      as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
  elif command -v dnf >/dev/null 2>&1; then
    local missing=()
    for p in "${RHEL_PACKAGES[@]}"; do rpm -q "$p" >/dev/null 2>&1 || missing+=("$p"); done
    [ ${#missing[@]} -eq 0 ] || as_root dnf install -y -q "${missing[@]}"
  fi
}

command -v dotnet >/dev/null 2>&1 || { echo "The .NET SDK is required (see global.json)."; echo "0 passed, 1 failed"; exit 1; }
install_prerequisites || { echo "Could not install the test prerequisites."; echo "0 passed, 1 failed"; exit 1; }

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
results="$(pwd)/TestResults"
rm -rf "$results"

echo "==> build"
if ! dotnet build Runner.sln -c Release -nologo -clp:ErrorsOnly; then
  echo "0 passed, 1 failed"
  exit 1
fi

echo "==> test"
dotnet test Runner.sln -c Release --no-build --nologo \
  --logger "trx;LogFileName=results.trx" --logger "console;verbosity=minimal" \
  --results-directory "$results"
status=$?

passed=0; failed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
# A crashed run can leave no result file: count it as a failure, never as a pass.
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi

echo "==> benches (smoke mode)"
mkdir -p "$results"
bench/smoke.sh | tee "$results/benches.txt"
bench_status=${PIPESTATUS[0]}
summary=$(tail -n 1 "$results/benches.txt")
if [[ "$summary" =~ ^benches:\ ([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
  passed=$((passed + BASH_REMATCH[1])); failed=$((failed + BASH_REMATCH[2]))
else
  failed=$((failed + 1))
fi
if [ "$bench_status" -ne 0 ] && [ "$status" -eq 0 ]; then status=$bench_status; fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed"
exit "$status"
