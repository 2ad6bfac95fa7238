#!/usr/bin/env bash
# Builds vcsim (the govmomi vCenter/ESXi simulator) from Debian's golang-github-vmware-govmomi-dev
# sources, offline, into a cache outside the repository, and prints the binary's path.
#   vcsim-build.sh [CACHE_ROOT]     (default /var/tmp/runner-appliance-tests)
# Debian ships the simulator library but not the vcsim program, so a small main is written here.
# The build is skipped when the binary exists; a lock keeps parallel callers from building twice.
# Needs: golang-go, golang-github-vmware-govmomi-dev (apt-get install -y both).
set -euo pipefail

ROOT=${1:-/var/tmp/runner-appliance-tests}
VERSION=$(dpkg-query -W -f='${Version}' golang-github-vmware-govmomi-dev 2>/dev/null || true)
if [ -z "$VERSION" ] || ! command -v go >/dev/null; then
  echo "vcsim-build.sh: needs golang-go and golang-github-vmware-govmomi-dev" >&2
  exit 3
fi
DIR="$ROOT/vcsim-${VERSION%%-*}"
BIN="$DIR/vcsim"
mkdir -p "$DIR"

exec 9>"$DIR/build.lock"
flock 9
if [ -x "$BIN" ]; then echo "$BIN"; exit 0; fi

export GOPROXY=off GOFLAGS= GO111MODULE=off GOTOOLCHAIN=local GOCACHE="$DIR/gocache"
SRC="$DIR/gopath/src/vcsimlocal"
mkdir -p "$SRC"
cat > "$SRC/main.go" <<'GO'
package main

import (
	"crypto/tls"
	"flag"
	"fmt"
	"log"
	"net/url"
	"os"
	"os/signal"
	"syscall"

	"github.com/vmware/govmomi/simulator"
)

func main() {
	model := simulator.VPX()
	esx := flag.Bool("esx", false, "Simulate a standalone ESXi host instead of a vCenter")
	dc := flag.Int("dc", model.Datacenter, "Number of datacenters")
	cluster := flag.Int("cluster", model.Cluster, "Number of clusters")
	clusterHost := flag.Int("host", model.ClusterHost, "Number of hosts per cluster")
	host := flag.Int("standalone-host", model.Host, "Number of standalone hosts")
	ds := flag.Int("ds", model.Datastore, "Number of local datastores")
	vm := flag.Int("vm", model.Machine, "Number of VMs per resource pool")
	pool := flag.Int("pool", model.Pool, "Number of resource pools per compute resource")
	folder := flag.Int("folder", model.Folder, "Number of folders")
	pg := flag.Int("pg", model.Portgroup, "Number of port groups")
	listen := flag.String("l", "127.0.0.1:8989", "Listen address")
	user := flag.String("username", "", "Login username (any non-empty allowed by default)")
	pass := flag.String("password", "", "Login password (any non-empty allowed by default)")
	flag.Parse()
	if *esx {
		model = simulator.ESX()
	}
	model.Datacenter, model.Cluster, model.ClusterHost, model.Host = *dc, *cluster, *clusterHost, *host
	model.Datastore, model.Machine, model.Pool, model.Folder, model.Portgroup = *ds, *vm, *pool, *folder, *pg
	if *esx {
		model.Datacenter, model.Cluster, model.ClusterHost, model.Host, model.Pool, model.Folder, model.Portgroup = 0, 0, 0, 0, 0, 0, 0
	}

	u := &url.URL{Host: *listen}
	if *user != "" {
		u.User = url.UserPassword(*user, *pass)
	}
	if err := model.Create(); err != nil {
		log.Fatal(err)
	}
	defer model.Remove()

	model.Service.Listen = u
	model.Service.TLS = new(tls.Config)
	s := model.Service.NewServer()
	fmt.Printf("export GOVC_URL=%s GOVC_SIM_PID=%d\n", s.URL, os.Getpid())

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	<-sig
	// s.Close() waits for keep-alive clients and can hang: remove the datastore dirs and exit.
}
GO
GOPATH="$DIR/gopath:/usr/share/gocode" go build -o "$BIN.tmp" vcsimlocal
mv "$BIN.tmp" "$BIN"
echo "$BIN"
