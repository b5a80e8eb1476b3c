#!/usr/bin/env bash
# jlvs namespace lab: a client, a director and N real servers in network namespaces of their own.
# Sourced by the demo, the netns benchmark and the end-to-end tests; also runnable:
#   scripts/lab.sh up [N]     create the topology (N real servers, default 3)
#   scripts/lab.sh down       delete everything the lab created (also what a crashed run left)
#
#   ns ${LAB}c (client)         ns ${LAB}d (director)                 ns ${LAB}s (switch)     ns ${LAB}rK
#  +------------------+       +---------------------------+         +-------------+        +-------------------+
#  | c0 192.0.2.2/24  |-------| d0 192.0.2.1/24           |         |   bridge    |        | r0 198.51.100.1K  |
#  |  2001:db8:c::2   | veth  |    2001:db8:c::1          |         |   ${LAB}br  |--------|    2001:db8:1::1K |
#  | default via .1   |       | d1 198.51.100.1/24        |---------|             |  veth  | default via .1    |
#  +------------------+       |    2001:db8:1::1          |  veth   +-------------+        | nginx :80 "rsK"   |
#                             | ip_forward=1 (routes DR   |                                +-------------------+
#                             |  replies; jlvs does VIPs) |
#                             +---------------------------+
# The VIPs (192.0.2.10, 2001:db8:c::10) are on no interface: jlvs answers ARP/NDP for them on d0.
# Every name starts with "jlvs" ($LAB, default jlvslab); addresses are documentation ranges only.
set -euo pipefail

LAB=${LAB:-jlvslab}
LAB_VIP4=192.0.2.10
LAB_VIP6=2001:db8:c::10
LAB_CLIENT4=192.0.2.2
LAB_CLIENT6=2001:db8:c::2

lab_ns() { echo "${LAB}$1"; }
lab_rs4() { echo "198.51.100.1$1"; }
lab_rs6() { echo "2001:db8:1::1$1"; }
lab_x() { local ns=$1; shift; ip netns exec "$(lab_ns "$ns")" "$@"; }

lab_down() {
  local ns
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep "^${LAB}" || true); do
    # stop what runs inside (nginx, jlvsd, socat, decap) before the namespace goes
    local pids
    pids=$(ip netns pids "$ns" 2>/dev/null || true)
    [ -n "$pids" ] && kill $pids 2>/dev/null || true
  done
  # give them up to 3 s to stop on their own (jlvsd removes its nftables table and logs its counters)
  local i left
  for i in $(seq 1 30); do
    left=""
    for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep "^${LAB}" || true); do
      left="$left$(ip netns pids "$ns" 2>/dev/null || true)"
    done
    [ -z "$left" ] && break
    sleep 0.1
  done
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep "^${LAB}" || true); do
    local pids
    pids=$(ip netns pids "$ns" 2>/dev/null || true)
    [ -n "$pids" ] && kill -9 $pids 2>/dev/null || true
    ip netns del "$ns" 2>/dev/null || true
  done
  rm -rf "/tmp/${LAB}-nginx"
}

# lab_stop NS: SIGTERM every process of the lab namespace NS (c, d, rK...), wait up to 5 s for them to end
lab_stop() {
  local ns i pids
  ns=$(lab_ns "$1")
  pids=$(ip netns pids "$ns" 2>/dev/null || true)
  [ -n "$pids" ] && kill $pids 2>/dev/null || true
  for i in $(seq 1 50); do
    [ -z "$(ip netns pids "$ns" 2>/dev/null || true)" ] && return 0
    sleep 0.1
  done
}

lab_up() {
  local n=${1:-3} k
  lab_down
  for k in c d s; do ip netns add "$(lab_ns $k)"; done
  ip link add c0 netns "$(lab_ns c)" type veth peer name d0 netns "$(lab_ns d)"
  ip link add d1 netns "$(lab_ns d)" type veth peer name sd netns "$(lab_ns s)"
  lab_x s ip link add "${LAB}br" type bridge
  # a plain switch: no netfilter on bridged frames (the host may have br_netfilter loaded, which would send every
  # frame through the bridge's iptables hooks: a fifth of the director's CPU in the benchmark)
  lab_x s sysctl -q -w net.bridge.bridge-nf-call-iptables=0 net.bridge.bridge-nf-call-ip6tables=0 \
    net.bridge.bridge-nf-call-arptables=0 2>/dev/null || true
  lab_x s ip link set sd master "${LAB}br"
  lab_x s ip link set sd up
  lab_x s ip link set "${LAB}br" up
  lab_x c ip link set lo up
  lab_x c ip link set c0 up
  lab_x c ip addr add "$LAB_CLIENT4/24" dev c0
  lab_x c ip addr add "$LAB_CLIENT6/64" dev c0 nodad
  lab_x c ip route add default via 192.0.2.1
  lab_x c ip -6 route add default via 2001:db8:c::1
  lab_x d ip link set lo up
  lab_x d ip link set d0 up
  lab_x d ip link set d1 up
  lab_x d ip addr add 192.0.2.1/24 dev d0
  lab_x d ip addr add 2001:db8:c::1/64 dev d0 nodad
  lab_x d ip addr add 198.51.100.1/24 dev d1
  lab_x d ip addr add 2001:db8:1::1/64 dev d1 nodad
  lab_x d sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
  for k in $(seq 1 "$n"); do
    ip netns add "$(lab_ns "r$k")"
    ip link add r0 netns "$(lab_ns "r$k")" type veth peer name "s$k" netns "$(lab_ns s)"
    lab_x s ip link set "s$k" master "${LAB}br"
    lab_x s ip link set "s$k" up
    lab_x "r$k" ip link set lo up
    lab_x "r$k" ip link set r0 up
    lab_x "r$k" ip addr add "$(lab_rs4 "$k")/24" dev r0
    lab_x "r$k" ip addr add "$(lab_rs6 "$k")/64" dev r0 nodad
    lab_x "r$k" ip route add default via 198.51.100.1
    lab_x "r$k" ip -6 route add default via 2001:db8:1::1
  done
}

# lab_vip_on_lo K: the VIPs on the real server's lo, as direct routing and tunnelling need (no ARP for them)
lab_vip_on_lo() {
  local k=$1
  lab_x "r$k" sysctl -qw net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2 \
    net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.r0.rp_filter=0
  lab_x "r$k" ip addr add "$LAB_VIP4/32" dev lo
  lab_x "r$k" ip addr add "$LAB_VIP6/128" dev lo nodad
}

# lab_nginx K: nginx on real server K answering "rsK" on port 80 (IPv4 and IPv6); /1m.bin is 1 MiB of random
# bytes, /slow/1m.bin the same sent at 200 KB/s (a connection that lasts about 5 s)
lab_nginx() {
  local k=$1 dir="/tmp/${LAB}-nginx/r$1"
  mkdir -p "$dir/www"
  echo "rs$k" > "$dir/www/index.html"
  head -c 1048576 /dev/urandom > "$dir/www/1m.bin" 2>/dev/null || true
  cat > "$dir/nginx.conf" <<EOF
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/error.log;
daemon on;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_timeout 30;
  server {
    listen 80 reuseport;
    listen [::]:80 reuseport;
    root $dir/www;
    location /slow/ { alias $dir/www/; limit_rate 200k; }
  }
}
EOF
  lab_x "r$k" nginx -c "$dir/nginx.conf" -e "$dir/error.log"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  case "${1:-}" in
    up) lab_up "${2:-3}" ;;
    down) lab_down ;;
    *) echo "usage: $0 up [N] | down" >&2; exit 2 ;;
  esac
fi
