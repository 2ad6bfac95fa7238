#!/bin/sh
# skopeo for install-docker-registry, on the appliance. The registry's login (REGISTRY_AUTH,
# user:password) and CA (REGISTRY_CA, PEM; empty: the system store) come from the environment and go
# to a private temporary directory removed on exit: no secret on a command line or in a kept file.
#   registry-image.sh inspect docker://HOST/REPO:TAG   prints the image's digest, nothing when absent
#   registry-image.sh copy SOURCE docker://HOST/REPO:TAG   pushes with the digests unchanged
set -eu
mode=$1
shift
umask 077
dir=$(mktemp -d "${TMPDIR:-/tmp}/registry-image.XXXXXX")
trap 'rm -rf "$dir"' EXIT
printf '{"auths":{"%s":{"auth":"%s"}}}\n' "$REGISTRY_HOST" "$(printf '%s' "$REGISTRY_AUTH" | base64 -w0)" >"$dir/auth.json"
mkdir "$dir/certs"
[ -z "${REGISTRY_CA:-}" ] || printf '%s\n' "$REGISTRY_CA" >"$dir/certs/ca.crt"
certs=""
[ -z "${REGISTRY_CA:-}" ] || certs=$dir/certs
case $mode in
  inspect)
    if skopeo inspect --authfile "$dir/auth.json" ${certs:+--cert-dir "$certs"} --format '{{.Digest}}' "$1" 2>"$dir/err"; then
      exit 0
    fi
    # Not there (yet): no digest. Anything else (refused, TLS, login) is an error.
    grep -qiE 'manifest unknown|name unknown|not found' "$dir/err" && exit 0
    cat "$dir/err" >&2
    exit 1
    ;;
  copy)
    # Not exec: the EXIT trap must still remove the login.
    skopeo copy --preserve-digests --dest-authfile "$dir/auth.json" ${certs:+--dest-cert-dir "$certs"} "$1" "$2"
    ;;
  *)
    echo "usage: $0 inspect IMAGE | copy SOURCE DEST" >&2
    exit 2
    ;;
esac
