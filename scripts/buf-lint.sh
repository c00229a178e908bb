#!/usr/bin/env bash
# Lints the protos with buf (installed from npm, pinned in tools/buf) in a
# scratch workspace that adds the googleapis protos from Debian's
# golang-github-gogo-googleapis-dev, which our protos import.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
googleapis=${GOOGLEAPIS_DIR:-/usr/share/gocode/src/github.com/gogo/googleapis}
work=${1:-$root/build/buf-lint}
(cd "$root/tools/buf" && npm ci --no-audit --no-fund --silent >/dev/null 2>&1 || npm install --no-audit --no-fund --silent >/dev/null)
rm -rf "$work"
mkdir -p "$work/googleapis/google"
cp -r "$root/proto" "$work/ips_protos"
cp -r "$googleapis/google/type" "$work/googleapis/google/"
cp "$root/proto/buf.yaml" "$work/buf.yaml"
cd "$work"
"$root/tools/buf/node_modules/.bin/buf" lint --path ips_protos/ips
echo "buf lint: clean"
