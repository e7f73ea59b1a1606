#!/usr/bin/env bash
# whereabouts demo: three "pods" (network namespaces) get addresses from whereabouts through the standard macvlan
# plugin, using the seed's example IPAM settings on the file datastore; they ping each other; then they are deleted
# and the addresses are released. Everything the demo creates is removed on exit, also after a failure.
#
# Usage: sudo ./demo.sh [--ipvlan]    (--ipvlan uses the seed's ipvlan plugin where the kernel supports it)
set -euo pipefail
cd "$(dirname "$0")"

kind=macvlan
[ "${1:-}" = "--ipvlan" ] && kind=ipvlan
cni_dir=${CNI_PLUGIN_DIR:-/usr/lib/cni}

die() { echo "demo: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "run as root (sudo ./demo.sh): it creates network namespaces and links"
command -v ip >/dev/null || die "the ip command (iproute2) is missing"
[ -x "$cni_dir/macvlan" ] || die "$cni_dir/macvlan is missing: apt-get install containernetworking-plugins"

if [ ! -x artifacts/bin/whereabouts ] || [ -n "$(find src -newer artifacts/bin/whereabouts -name '*.cs' -print -quit)" ]; then
  echo "==> building the plugin"
  ./build.sh plugin
fi

id=$(printf '%04x' $((RANDOM % 65536)))
master=wbdemo$id
peer=wbdpeer$id
pods=(wbdemo-$id-a wbdemo-$id-b wbdemo-$id-c)
state=$(mktemp -d /tmp/whereabouts-demo.XXXXXX)
conf=$state/net.json

cleanup() {
  set +e
  for i in "${!pods[@]}"; do
    [ -e "/var/run/netns/${pods[$i]}" ] || continue
    cni DEL "${pods[$i]}" >/dev/null 2>&1
    ip netns del "${pods[$i]}" 2>/dev/null
  done
  ip link del "$master" 2>/dev/null
  rm -rf "$state"
}
trap cleanup EXIT

ip link add "$master" type veth peer name "$peer"
ip link set "$master" up
ip link set "$peer" up

if [ "$kind" = ipvlan ]; then
  if ip link add "wbdiv$id" link "$master" type ipvlan mode l2 2>/dev/null; then
    ip link del "wbdiv$id"
  else
    echo "==> this kernel has no ipvlan (CONFIG_IPVLAN); using macvlan, which the seed's NetworkAttachmentDefinition can use as well"
    kind=macvlan
  fi
fi

# The seed's example NetworkAttachmentDefinition, with the master this demo created and the file datastore.
cat > "$conf" <<JSON
{
  "cniVersion": "0.3.0",
  "name": "$kind-conf-1",
  "type": "$kind",
  "master": "$master",
  "mode": "$([ "$kind" = ipvlan ] && echo l2 || echo bridge)",
  "ipam": {
    "type": "whereabouts",
    "datastore": "file",
    "data_dir": "$state/data",
    "range": "192.168.20.0/24",
    "gateway": "192.168.20.1",
    "range_start": "192.168.20.2",
    "range_end": "192.168.20.100"
  }
}
JSON

cni() { # cni COMMAND POD
  CNI_COMMAND=$1 CNI_CONTAINERID="$2" CNI_NETNS="/var/run/netns/$2" CNI_IFNAME=net1 \
  CNI_ARGS="IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=$2" \
  CNI_PATH="$PWD/artifacts/bin:$cni_dir" "$cni_dir/$kind" < "$conf"
}

address_of() { ip -n "$1" -4 -o addr show dev net1 | awk '{print $4}'; }

echo "==> NetworkAttachmentDefinition config ($kind over $master):"
sed 's/^/    /' "$conf"
echo
for pod in "${pods[@]}"; do
  ip netns add "$pod"
  cni ADD "$pod" >/dev/null
  echo "==> pod $pod: net1 $(address_of "$pod")"
done

echo
echo "==> the pool, as whereabouts stored it (offsets from 192.168.20.0):"
sed 's/^/    /' "$state"/data/pools/*.json; echo

a=${pods[0]} b=${pods[2]}
target=$(address_of "$b"); target=${target%/*}
echo
echo "==> ping from $a to $b ($target):"
ip netns exec "$a" ping -c 2 -W 2 "$target" | sed 's/^/    /'

echo
for pod in "${pods[@]}"; do
  cni DEL "$pod"
  ip netns del "$pod"
  echo "==> deleted pod $pod"
done

echo
echo "==> the pool after the pods are gone (no allocations left):"
sed 's/^/    /' "$state"/data/pools/*.json; echo
left=$(ls "$state/data/reservations" 2>/dev/null | wc -l)
echo "==> cluster-wide reservations left: $left"
[ "$left" -eq 0 ] || die "reservations were not released"
echo "==> demo finished: addresses were allocated, used and released"
