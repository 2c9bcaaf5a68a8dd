#!/usr/bin/env bash
# A single-node Apache Kafka broker (KRaft, combined broker+controller) on 127.0.0.1, run from the jars that Maven
# fetches into target/lib: no Docker needed.
#   kafka.sh fetch | start | stop | status
# Settings: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (port+1), KAFKA_DATA_DIR (.local/kafka-<port>), KAFKA_HEAP (512m).
# Idempotent: start on a running broker and stop on a stopped one do nothing.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
port=${KAFKA_PORT:-9092}
controller_port=${KAFKA_CONTROLLER_PORT:-$((port + 1))}
data=${KAFKA_DATA_DIR:-$root/.local/kafka-$port}
heap=${KAFKA_HEAP:-512m}
lib=$here/target/lib
pidfile=$data/broker.pid
logfile=$data/broker.log

fail() { echo "kafka: $*" >&2; exit 1; }
require() { command -v "$1" >/dev/null 2>&1 || fail "$1 is missing: $2"; }
answering() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
running_pid() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null && cat "$pidfile"; }

fetch() {
  if compgen -G "$lib/kafka_2.13-*.jar" >/dev/null; then return 0; fi
  require java "install a JDK 17 or newer (apt-get install openjdk-17-jdk-headless)"
  require mvn "install Apache Maven (apt-get install maven)"
  echo "kafka: fetching the broker jars from Maven Central (once; later runs reuse ~/.m2)"
  (cd "$here" && mvn -q -B dependency:copy-dependencies) || fail "Maven could not fetch the Kafka jars: check access to Maven Central, then run '$0 fetch' again"
}

write_config() {
  mkdir -p "$data/logs"
  cat >"$data/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$data/logs
num.partitions=3
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
group.min.session.timeout.ms=1000
log.retention.hours=168
PROPS
}

start() {
  if pid=$(running_pid); then
    echo "kafka: already running on 127.0.0.1:$port (pid $pid)"; return 0
  fi
  if answering "$port"; then
    echo "kafka: something already answers on 127.0.0.1:$port; using it"; return 0
  fi
  require java "install a JDK 17 or newer (apt-get install openjdk-17-jdk-headless)"
  fetch
  write_config
  if [ ! -f "$data/logs/meta.properties" ]; then
    local cluster_id
    cluster_id=$(java "-Dlog4j.configuration=file:$here/log4j.properties" -cp "$lib/*" kafka.tools.StorageTool random-uuid)
    java "-Dlog4j.configuration=file:$here/log4j.properties" -cp "$lib/*" kafka.tools.StorageTool format -t "$cluster_id" -c "$data/server.properties" --ignore-formatted >/dev/null \
      || fail "could not format $data/logs; remove that folder and try again"
  fi
  echo "kafka: starting on 127.0.0.1:$port (data in $data)"
  : >"$logfile"
  nohup java -Xms128m "-Xmx$heap" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true \
    "-Dlog4j.configuration=file:$here/log4j.properties" -cp "$lib/*" kafka.Kafka "$data/server.properties" \
    >"$logfile" 2>&1 </dev/null &
  echo $! >"$pidfile"
  for _ in $(seq 1 120); do
    if grep -q "Kafka Server started" "$logfile" 2>/dev/null && answering "$port"; then
      echo "kafka: ready on 127.0.0.1:$port"; return 0
    fi
    kill -0 "$(cat "$pidfile")" 2>/dev/null || { tail -20 "$logfile" >&2; fail "the broker exited during start-up; its log is $logfile"; }
    sleep 0.5
  done
  fail "the broker did not answer within 60 s; its log is $logfile"
}

stop() {
  local pid
  if ! pid=$(running_pid); then echo "kafka: not running on 127.0.0.1:$port"; return 0; fi
  kill "$pid"
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || { rm -f "$pidfile"; echo "kafka: stopped"; return 0; }; sleep 0.5; done
  kill -9 "$pid" 2>/dev/null || true; rm -f "$pidfile"; echo "kafka: killed after 30 s"
}

status() {
  if pid=$(running_pid); then echo "kafka: running on 127.0.0.1:$port (pid $pid)"; else echo "kafka: not running"; return 1; fi
}

case "${1:-}" in
  fetch) fetch ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 fetch|start|stop|status" >&2; exit 2 ;;
esac
