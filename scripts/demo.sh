#!/usr/bin/env bash
# The live demo (./jlvs start without a configuration): the namespace lab of scripts/lab.sh (a client, a
# director, three nginx real servers), jlvsd in the director's namespace, a NAT service configured with
# jlvsadm, a few requests going round-robin, the jlvsadm -Ln --stats table; then everything is removed.
set -euo pipefail
JLVS_ROOT=${JLVS_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
# shellcheck source=lib.sh
source "$JLVS_ROOT/scripts/lib.sh"
LAB=${LAB:-jlvsdemo}
# shellcheck source=lab.sh
source "$JLVS_ROOT/scripts/lab.sh"

[ "$(id -u)" = 0 ] || die "the live demo needs root (it creates network namespaces); run it as root"
command -v nginx >/dev/null || die "nginx is missing (./jlvs start installs it when run as root)"
find_java25
CP=$(jlvs_classpath)
LOG=$(mktemp /tmp/jlvs-demo.XXXXXX.log)
JLVSD_PID=""
cleanup() {
  if [ -n "$JLVSD_PID" ]; then kill "$JLVSD_PID" 2>/dev/null || true; wait "$JLVSD_PID" 2>/dev/null || true; fi
  lab_down
  echo "== removed the demo's namespaces (jlvsd's log: $LOG)"
}
trap cleanup EXIT INT TERM

jlvsadm() {
  echo "director# jlvsadm $*"
  # shellcheck disable=SC2046
  lab_x d "$JAVA_HOME/bin/java" $(jlvs_java_opts) -cp "$CP" io.jlvs.daemon.JlvsMain jlvsadm "$@"
}

echo "== creating the lab: client ${LAB}c, director ${LAB}d, real servers ${LAB}r1..3 (nginx), switch ${LAB}s"
lab_up 3
for k in 1 2 3; do lab_nginx "$k"; done

echo "== starting jlvsd in ${LAB}d (it serves every interface of the namespace: d0 toward the client, d1 toward the servers)"
# shellcheck disable=SC2046
lab_x d "$JAVA_HOME/bin/java" $(jlvs_java_opts daemon) -cp "$CP" io.jlvs.daemon.JlvsMain daemon > "$LOG" 2>&1 &
JLVSD_PID=$!
for _ in $(seq 1 100); do
  # shellcheck disable=SC2046
  lab_x d "$JAVA_HOME/bin/java" $(jlvs_java_opts) -cp "$CP" io.jlvs.daemon.JlvsMain jlvsadm -Ln >/dev/null 2>&1 && break
  kill -0 "$JLVSD_PID" 2>/dev/null || { cat "$LOG"; die "jlvsd did not start"; }
  sleep 0.1
done

jlvsadm -A -t "$LAB_VIP4:80" -s rr
for k in 1 2 3; do jlvsadm -a -t "$LAB_VIP4:80" -r "$(lab_rs4 "$k"):80" -m; done
jlvsadm -Ln

echo "== six requests from the client to the virtual service http://$LAB_VIP4/"
for i in 1 2 3 4 5 6; do
  printf 'client$ curl http://%s/  ->  ' "$LAB_VIP4"
  lab_x c curl -s -m 3 "http://$LAB_VIP4/" || echo "(no answer)"
done

echo "== the same over IPv6: http://[$LAB_VIP6]/"
jlvsadm -A -t "[$LAB_VIP6]:80" -s rr
for k in 1 2 3; do jlvsadm -a -t "[$LAB_VIP6]:80" -r "[$(lab_rs6 "$k")]:80" -m; done
for i in 1 2 3; do
  printf 'client$ curl http://[%s]/  ->  ' "$LAB_VIP6"
  lab_x c curl -s -m 3 "http://[$LAB_VIP6]/" || echo "(no answer)"
done

echo "== one megabyte through the director, compared byte for byte"
lab_x c curl -s -m 10 -o /tmp/${LAB}-1m.bin "http://$LAB_VIP4/1m.bin" || true
if cmp -s "/tmp/${LAB}-1m.bin" "/tmp/${LAB}-nginx/r1/www/1m.bin" || cmp -s "/tmp/${LAB}-1m.bin" "/tmp/${LAB}-nginx/r2/www/1m.bin" \
   || cmp -s "/tmp/${LAB}-1m.bin" "/tmp/${LAB}-nginx/r3/www/1m.bin"; then
  echo "1m.bin: identical to the real server's copy"
else
  echo "1m.bin: DIFFERENT or missing"
fi
rm -f "/tmp/${LAB}-1m.bin"

# as the kernel's IPVS, the listing shows the counters of the last rate estimation (every 2 s per service and per
# real server): wait for one, so the table shows all the traffic above
sleep 2.1
jlvsadm -Ln --stats
