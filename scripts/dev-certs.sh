#!/usr/bin/env bash
# Makes development/test credentials in DIR (never for production):
#   ca.pem/ca.key          a private CA
#   server.pem/server.key  server certificate for localhost and 127.0.0.1 (and
#                          the DNS names in IPS_SERVER_NAMES, comma-separated)
#   client-NAME.pem/.key   client certificates (mTLS), CN=NAME, for each NAME
#   jwt.key/jwt.pub        RS256 key pair for minting and checking dev tokens
#   pseudonym.key          32 random bytes, the event pseudonym key
# Existing files are kept, so re-running is cheap and tokens stay valid.
set -euo pipefail
dir=${1:?usage: dev-certs.sh DIR [client names...]}
shift
clients=("$@")
[ ${#clients[@]} -gt 0 ] || clients=(ipsctl reporting matching treatment registry)
mkdir -p "$dir"
cd "$dir"
umask 077
ec() { openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "$@" 2>/dev/null; }
if [ ! -f ca.pem ]; then
  ec -x509 -keyout ca.key -out ca.pem -days 3650 -subj "/CN=IPS Sydhavnen development CA"
fi
sign() { # name cn san
  ec -keyout "$1.key" -out "$1.csr" -subj "/CN=$2"
  printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth,clientAuth\n' "$3" > "$1.ext"
  openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -out "$1.pem" \
    -days 825 -extfile "$1.ext" 2>/dev/null
  rm -f "$1.csr" "$1.ext"
}
san="DNS:localhost,IP:127.0.0.1"
for n in ${IPS_SERVER_NAMES:+${IPS_SERVER_NAMES//,/ }}; do san="$san,DNS:$n"; done
[ -f server.pem ] || sign server localhost "$san"
for c in "${clients[@]}"; do
  [ -f "client-$c.pem" ] || sign "client-$c" "$c" "DNS:$c"
done
if [ ! -f jwt.key ]; then
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out jwt.key 2>/dev/null
  openssl pkey -in jwt.key -pubout -out jwt.pub
fi
[ -f pseudonym.key ] || head -c 32 /dev/urandom > pseudonym.key
