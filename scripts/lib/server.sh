# Sourced by the scripts that start a samlkit-server (or a database) of their own.

# A TCP port on 127.0.0.1 that is free now.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Waits up to 10 s for BASE_URL/healthz to answer.
wait_healthy() {
  local _
  for _ in $(seq 100); do
    curl -fs "$1/healthz" >/dev/null && return 0
    sleep 0.1
  done
  echo "no answer from $1/healthz" >&2
  return 1
}
