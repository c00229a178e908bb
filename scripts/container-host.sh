#!/usr/bin/env bash
# Prepares this machine to build and run the suite's containers, and prints
# the settings for the callers to eval:
#
#   eval "$(scripts/container-host.sh)"   # ENGINE, DOCKER_HOST, IPS_HEALTH_TICKER
#
# Where a Docker engine already works, it is used as it is. Otherwise podman
# (Debian's) with runc, under the settings this kind of machine needs: crun
# refuses its hybrid cgroups and their limits, so runc with cgroupfs and
# ulimits it accepts. Base images that cannot be pulled (no registry
# reachable) are made with debootstrap from the Debian mirror apt uses here,
# as debian:12 and a debian:12-slim without documentation. docker-compose
# talks to podman through podman's Docker-compatible socket. Without
# systemd, podman runs no health checks by itself: IPS_HEALTH_TICKER=1 then
# tells container-test.sh to run them.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
say() { echo "container-host: $*" >&2; }

if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
  say "using the Docker engine"
  echo "export ENGINE=docker IPS_HEALTH_TICKER=0"
  exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
need=()
for p in podman runc debootstrap docker-compose golang-github-containernetworking-plugin-dnsname uidmap jq curl; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if ((${#need[@]})); then
  say "installing ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

conf=/etc/containers/containers.conf
if ! grep -q '^runtime = "runc"' "$conf" 2>/dev/null; then
  say "writing $conf (runc, cgroupfs, ulimits this machine accepts)"
  $SUDO mkdir -p /etc/containers
  $SUDO tee "$conf" >/dev/null <<'EOF'
# Written by scripts/container-host.sh: crun refuses this machine's hybrid
# cgroups and higher limits.
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
fi

# The base images: pulled where a registry answers, else made here.
if ! podman image exists docker.io/library/debian:12 || ! podman image exists docker.io/library/debian:12-slim; then
  if podman pull -q docker.io/library/debian:12 >/dev/null 2>&1 &&
    podman pull -q docker.io/library/debian:12-slim >/dev/null 2>&1; then
    say "pulled debian:12 and debian:12-slim"
  else
    mirror=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n 1)
    [ -n "$mirror" ] || mirror=$(awk '$1 == "deb" {print $2; exit}' /etc/apt/sources.list 2>/dev/null)
    [ -n "$mirror" ] || mirror=http://deb.debian.org/debian
    base=$(mktemp -d /var/tmp/ips-debian.XXXXXX)
    say "no registry answers: making debian:12 with debootstrap from $mirror"
    $SUDO debootstrap --variant=minbase bookworm "$base/full" "$mirror" >/dev/null
    $SUDO rm -rf "$base/full/var/cache/apt/archives/"*.deb "$base/full/var/lib/apt/lists/"*
    $SUDO tar -C "$base/full" -c . | podman import -q - docker.io/library/debian:12 >/dev/null
    # The slim variant leaves documentation out, now and in what is installed later.
    $SUDO rm -rf "$base/full/usr/share/doc/"* "$base/full/usr/share/man/"* "$base/full/usr/share/info/"* \
      "$base/full/usr/share/locale/"*
    $SUDO mkdir -p "$base/full/etc/dpkg/dpkg.cfg.d"
    printf '%s\n' 'path-exclude /usr/share/doc/*' 'path-include /usr/share/doc/*/copyright' \
      'path-exclude /usr/share/man/*' 'path-exclude /usr/share/info/*' 'path-exclude /usr/share/locale/*' |
      $SUDO tee "$base/full/etc/dpkg/dpkg.cfg.d/slim" >/dev/null
    $SUDO tar -C "$base/full" -c . | podman import -q - docker.io/library/debian:12-slim >/dev/null
    $SUDO rm -rf "$base"
  fi
fi

# docker-compose speaks the Docker API: podman serves it on a socket.
sock=/run/ips-podman/podman.sock
if ! curl -fsS --unix-socket "$sock" http://d/_ping >/dev/null 2>&1; then
  $SUDO mkdir -p "$(dirname "$sock")"
  say "starting podman's Docker-compatible API on $sock"
  nohup podman system service --time=0 "unix://$sock" >/var/tmp/ips-podman-service.log 2>&1 &
  for _ in $(seq 1 50); do
    curl -fsS --unix-socket "$sock" http://d/_ping >/dev/null 2>&1 && break
    sleep 0.2
  done
fi
ticker=0
[ -d /run/systemd/system ] || ticker=1
echo "export ENGINE=podman DOCKER_HOST=unix://$sock IPS_HEALTH_TICKER=$ticker"
