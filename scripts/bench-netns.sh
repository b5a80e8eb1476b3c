#!/usr/bin/env bash
# The netns benchmark: on one topology (scripts/lab.sh, one real server), in one go,
#   (a) small UDP datagrams and (b) HTTP (wrk -> nginx) through
#   1. jlvs NAT (jlvsd in the director namespace, one data-plane thread)
#   2. the kernel's nftables DNAT (the stand-in for kernel IPVS NAT, which this kernel lacks)
# and prints forwarded packets per second and CPU-ns per forwarded packet side by side.
#
#   ./jlvs bench-netns [--seconds S] [--flows F] [--http-conns C (default 32)] [--only jlvs|kernel|ceiling]
#                      [--rx-ring v2|v3 (default v2)]
#
# --only ceiling: no forwarder; the director's d0 drops the datagrams at its netdev ingress hook, and "forwarded"
# counts what d0 received. That is what the generator can offer when a forwarder costs its core nothing: no
# forwarder can show more here.
#
# Forwarded = packets the real server's interface received (rx_packets of r0) during the run.
# CPU = busy time of the whole machine (/proc/stat: user+nice+system+irq+softirq+steal) during the run,
# less the load generator's user time (the same program in both runs): what forwarding cost, wherever the
# kernel accounted it (softirq in the sender's context, ksoftirqd, jlvsd's threads).
set -euo pipefail
JLVS_ROOT=${JLVS_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
# shellcheck source=lib.sh
source "$JLVS_ROOT/scripts/lib.sh"
LAB=${LAB:-jlvsbench}
# shellcheck source=lab.sh
source "$JLVS_ROOT/scripts/lab.sh"

SECONDS_RUN=5
FLOWS=16
HTTP_CONNS=32
ONLY=""
RX_RING=v2
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) SECONDS_RUN=$2; shift 2 ;;
    --flows) FLOWS=$2; shift 2 ;;
    --http-conns) HTTP_CONNS=$2; shift 2 ;;
    --only) ONLY=$2; shift 2 ;;
    --rx-ring) RX_RING=$2; shift 2 ;;
    *) die "bench-netns: unknown option '$1' (--seconds S, --flows F, --http-conns C, --only jlvs|kernel|ceiling, --rx-ring v2|v3)" ;;
  esac
done
[ "$(id -u)" = 0 ] || die "bench-netns: needs root (network namespaces)"
find_java25
BENCH_JAR="$JLVS_ROOT/jlvs-bench/target/jlvs-bench.jar"
[ -f "$BENCH_JAR" ] || build
TMP=$(mktemp -d /tmp/jlvs-bench.XXXXXX)
JLVSD_PID=""
cleanup() {
  [ -n "$JLVSD_PID" ] && kill "$JLVSD_PID" 2>/dev/null && wait "$JLVSD_PID" 2>/dev/null || true
  lab_down
  rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

busy_ns() {   # machine busy time in ns from /proc/stat
  awk '/^cpu /{ printf "%.0f\n", ($2+$3+$4+$7+$8+$9) * 10000000 }' /proc/stat
}
RX_NS=r1 RX_DEV=r0
rx_packets() { lab_x "$RX_NS" cat "/sys/class/net/$RX_DEV/statistics/rx_packets"; }
proc_user_ns() {   # user time of PID in ns
  awk '{ printf "%.0f\n", $14 * 10000000 }' "/proc/$1/stat" 2>/dev/null || echo 0
}

setup() {
  lab_up 1
  lab_nginx 1
  lab_x c ip route add "$LAB_VIP4/32" via 192.0.2.1
  # the sink: the real server's interface takes the datagrams in (rx_packets counts them) and drops them at its
  # netdev ingress hook: no socket to wake, no port unreachable sent back. A user-space sink (socat) costs as much
  # CPU as the generator and would share the two cores with the forwarder under test.
  lab_x r1 nft -f - <<EOF2
table netdev jlvsbenchsink {
  chain in { type filter hook ingress device r0 priority 0; udp dport 9 counter drop; }
}
EOF2
}

start_kernel() {
  lab_x d nft -f - <<EOF
table ip jlvsbench {
  chain pre { type nat hook prerouting priority -100; ip daddr $LAB_VIP4 udp dport 9 dnat to $(lab_rs4 1):9; ip daddr $LAB_VIP4 tcp dport 80 dnat to $(lab_rs4 1):80; }
  chain post { type nat hook postrouting priority 100; }
}
EOF
}

start_jlvs() {
  lab_x d "$JAVA_HOME/bin/java" $(jlvs_java_opts daemon) ${JLVSD_JAVA_EXTRA:-} -cp "$(jlvs_classpath)" io.jlvs.daemon.JlvsMain daemon --rx-ring "$RX_RING" \
    > "$TMP/jlvsd.log" 2>&1 &
  JLVSD_PID=$!
  local i
  for i in $(seq 1 100); do
    lab_x d "$JAVA_HOME/bin/java" $(jlvs_java_opts) -cp "$(jlvs_classpath)" io.jlvs.daemon.JlvsMain jlvsadm -Ln >/dev/null 2>&1 && break
    sleep 0.1
  done
  lab_x d "$JAVA_HOME/bin/java" $(jlvs_java_opts) -cp "$(jlvs_classpath)" io.jlvs.daemon.JlvsMain jlvsadm -R <<EOF
-A -u $LAB_VIP4:9 -s rr
-a -u $LAB_VIP4:9 -r $(lab_rs4 1):9 -m
-A -t $LAB_VIP4:80 -s rr
-a -t $LAB_VIP4:80 -r $(lab_rs4 1):80 -m
EOF
}

run_udp() {   # LABEL
  local rx0 rx1 b0 b1 gen_user sent
  rx0=$(rx_packets); b0=$(busy_ns)
  lab_x c "$JAVA_HOME/bin/java" -XX:+UseSerialGC -cp "$BENCH_JAR" io.jlvs.bench.UdpBlast "$LAB_VIP4" 9 \
    --seconds "$SECONDS_RUN" --flows "$FLOWS" > "$TMP/blast.out" &
  local gpid=$!
  local u=0
  while kill -0 "$gpid" 2>/dev/null; do u=$(proc_user_ns "$gpid"); sleep 0.2; done
  wait "$gpid" || true
  sleep 0.2
  rx1=$(rx_packets); b1=$(busy_ns)
  sent=$(awk '{print $2}' "$TMP/blast.out")
  local fwd=$((rx1 - rx0)) cpu=$((b1 - b0 - u))
  printf '%-8s UDP  sent %10d  forwarded %10d  %10.0f pps  %8.0f CPU-ns/pkt\n' "$1" "$sent" "$fwd" \
    "$(echo "$fwd / $SECONDS_RUN" | bc -l)" "$(echo "if ($fwd > 0) $cpu / $fwd else 0" | bc -l)"
  echo "$1 udp $fwd $cpu" >> "$TMP/results"
}

run_http() {   # LABEL
  local b0 b1 rx0 rx1
  rx0=$(rx_packets); b0=$(busy_ns)
  lab_x c timeout $((SECONDS_RUN + 10)) wrk -t1 -c"$HTTP_CONNS" -d"${SECONDS_RUN}s" --latency "http://$LAB_VIP4/" > "$TMP/wrk.out" 2>&1 || true
  rx1=$(rx_packets); b1=$(busy_ns)
  local rps
  rps=$(awk '/Requests\/sec/{print $2}' "$TMP/wrk.out")
  local p50 p99
  p50=$(awk '$1=="50%"{print $2}' "$TMP/wrk.out"); p99=$(awk '$1=="99%"{print $2}' "$TMP/wrk.out")
  printf '%-8s HTTP %10s req/s (%s connections, latency p50 %s p99 %s)   forwarded to the real server %10d pkts  %8.0f CPU-ns/pkt (incl. wrk and nginx)\n' \
    "$1" "${rps:-0}" "$HTTP_CONNS" "${p50:-?}" "${p99:-?}" "$((rx1 - rx0))" \
    "$(echo "if ($((rx1 - rx0)) > 0) $((b1 - b0)) / $((rx1 - rx0)) else 0" | bc -l)"
}

command -v bc >/dev/null || die "bench-netns: bc missing (apt-get install bc)"
echo "jlvs netns benchmark: ${SECONDS_RUN}s per run, $FLOWS UDP flows, $(nproc) CPUs, kernel $(uname -r)"
if [ "$ONLY" = ceiling ]; then
  setup
  lab_x d nft -f - <<EOF
table netdev jlvsbenchceil {
  chain in { type filter hook ingress device d0 priority 0; ip daddr $LAB_VIP4 udp dport 9 counter drop; }
}
EOF
  RX_NS=d RX_DEV=d0
  run_udp ceiling
  lab_down
  exit 0
fi
if [ "$ONLY" != jlvs ]; then
  setup; start_kernel
  run_udp kernel; run_http kernel
  lab_down
fi
if [ "$ONLY" != kernel ]; then
  setup; start_jlvs
  run_udp jlvs; run_http jlvs
  lab_x d "$JAVA_HOME/bin/java" $(jlvs_java_opts) -cp "$(jlvs_classpath)" io.jlvs.daemon.JlvsMain jlvsadm -Ln --stats || true
  lab_stop d; JLVSD_PID=""
  grep -E 'interface index|data plane:' "$TMP/jlvsd.log" | sed 's/^.*DataPlane: /jlvsd: /' || true
  lab_down
fi
if [ -z "$ONLY" ] && [ -f "$TMP/results" ]; then
  awk '$2=="udp"{f[$1]=$3; c[$1]=$4} END { if (f["kernel"] > 0 && f["jlvs"] > 0)
    printf "UDP: jlvs/kernel pps %.2fx, CPU per packet %.2fx\n", f["jlvs"]/f["kernel"], (c["jlvs"]/f["jlvs"])/(c["kernel"]/f["kernel"]) }' "$TMP/results"
fi
