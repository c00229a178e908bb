#!/usr/bin/env bash
# Development credentials for docker-compose.yml, in state/compose (never
# for production; Kubernetes takes real ones from Secrets):
#   the development CA, a server certificate for the four service names,
#   client certificates (CN = the calling service), the JWT key pair, the
#   pseudonym key (dev-certs.sh); the registry's token towards SOF and
#   reporting's event_reader token (RS256, 12 hours: the services refuse a
#   longer lifetime, --jwt_max_lifetime_seconds); and .env with the
#   PostgreSQL password compose passes to the databases and services.
# The files are made readable to the containers' user (uid 10001).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir="${IPS_COMPOSE_DIR:-$root/state/compose}"
env_file="${IPS_COMPOSE_ENV:-$root/.env}"
IPS_SERVER_NAMES=registry,treatment,matching,reporting \
  "$root/scripts/dev-certs.sh" "$dir" ipsctl registry matching reporting treatment

issuer=https://login.dev.ips.local
audience=ips-sydhavnen
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
# mint SUBJECT AGENCY ROLE: a development token signed with jwt.key.
mint() {
  local now header payload
  now=$(date +%s)
  header=$(printf '{"alg":"RS256","typ":"JWT"}' | b64url)
  payload=$(printf '{"sub":"%s","agency":"%s","roles":["%s"],"iss":"%s","aud":"%s","iat":%d,"exp":%d}' \
    "$1" "$2" "$3" "$issuer" "$audience" "$now" $((now + 12 * 3600)) | b64url)
  printf '%s.%s.%s\n' "$header" "$payload" \
    "$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -sign "$dir/jwt.key" | b64url)"
}
mint registry BIF treatment_check >"$dir/registry-to-treatment.token"
mint reporting JOINT event_reader >"$dir/reporting.token"
chmod 0755 "$dir"
chmod 0644 "$dir"/*
[ -f "$env_file" ] || printf "IPS_PG_PASSWORD=%s\n" "$(openssl rand -hex 16)" >"$env_file"
echo "compose-secrets: credentials in $dir, PostgreSQL password in $env_file" >&2
