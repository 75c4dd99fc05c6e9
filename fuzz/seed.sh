#!/usr/bin/env bash
# Seeds the fuzz corpora with real files made by openssl: the shapes users load (PKCS#12 in
# every form openssl writes, PEM bundles, encrypted keys, DER, PKCS#7), chains for the
# verifier, and the echo bodies the live test reads. Run from anywhere; writes fuzz/corpus/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"

ossl() { openssl "$@" 2>/dev/null; }
ossl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem \
  -days 3650 -subj "/C=US/O=Fuzz Root/CN=Fuzz Root CA"
ossl req -newkey rsa:2048 -nodes -keyout int.key -out int.csr -subj "/O=Fuzz/CN=Fuzz Intermediate"
printf 'basicConstraints=critical,CA:true\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n' > ca.ext
ossl x509 -req -in int.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out int.pem -days 1000 -extfile ca.ext
printf 'extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature\nsubjectKeyIdentifier=hash\n' > leaf.ext
ossl req -newkey rsa:2048 -nodes -keyout rsa.key -out rsa.csr \
  -subj "/C=DE/ST=Berlin/O=Ex\, Ample+OU=Dev/CN=client é 1/emailAddress=a@b.example"
ossl x509 -req -in rsa.csr -CA int.pem -CAkey int.key -set_serial 0x00ff01 -out rsa.pem -days 30 -extfile leaf.ext
ossl req -newkey ec -pkeyopt ec_paramgen_curve:P-384 -nodes -keyout ec.key -out ec.csr -subj "/CN=ec client"
ossl x509 -req -in ec.csr -CA ca.pem -CAkey ca.key -set_serial -5 -out ec.pem -days 30 -extfile leaf.ext
ossl genpkey -algorithm ed25519 -out ed.key
ossl req -new -key ed.key -out ed.csr -subj "/CN=ed25519 client"
ossl x509 -req -in ed.csr -CA ca.pem -CAkey ca.key -out ed.pem -days 30

load="$here/corpus/load"; fields="$here/corpus/fields"; verify="$here/corpus/verify"; echo_="$here/corpus/echo"
mkdir -p "$load" "$fields" "$verify" "$echo_"

cat rsa.pem int.pem rsa.key > bundle.pem
ossl pkcs12 -export -in rsa.pem -inkey rsa.key -certfile int.pem -passout pass:fuzz -out default.p12
ossl pkcs12 -export -legacy -in rsa.pem -inkey rsa.key -certfile int.pem -passout pass:fuzz -out legacy.p12
ossl pkcs12 -export -in ec.pem -inkey ec.key -passout pass: -out empty.p12
ossl pkcs12 -export -in ec.pem -inkey ec.key -nomac -passout pass:fuzz -out nomac.p12
ossl pkcs12 -export -in ed.pem -inkey ed.key -keypbe NONE -certpbe NONE -nomac -passout pass: -out plain.p12
ossl pkcs12 -export -nokeys -in ca.pem -passout pass:fuzz -out certonly.p12
ossl pkcs8 -topk8 -in ec.key -passout pass:fuzz -out ec-enc.key
ossl pkey -in rsa.key -traditional -out rsa-pkcs1.key
ossl x509 -in rsa.pem -outform DER -out rsa.der
ossl pkey -in ec.key -outform DER -out ec-key.der
ossl crl2pkcs7 -nocrl -certfile bundle.pem -out bundle.p7b
ossl crl2pkcs7 -nocrl -certfile bundle.pem -outform DER -out bundle-der.p7b
ossl x509 -in ca.pem -trustout -out trusted.pem
for f in bundle.pem default.p12 legacy.p12 empty.p12 nomac.p12 plain.p12 certonly.p12 ec-enc.key \
  rsa-pkcs1.key rsa.der ec-key.der bundle.p7b bundle-der.p7b trusted.pem ec.key ed.key; do
  cp "$f" "$load/$f"
done

for c in ca int rsa ec ed; do ossl x509 -in $c.pem -outform DER -out "$fields/$c.der"; done

der() { ossl x509 -in "$1.pem" -outform DER; }
{ printf '\x05'; der rsa; der int; der ca; } > "$verify/full-chain"
{ printf '\x15'; der rsa; der int; } > "$verify/partial"
{ printf '\x00'; der ec; der ca; } > "$verify/direct"
{ printf '\xff'; der ed; der rsa; der int; der ec; der ca; } > "$verify/mixed"

cat > "$echo_/x-cert.json" <<'JSON'
{"X-CERT-ISSUER-DN":"CN=Fuzz Intermediate,O=Fuzz","X-CERT-SUBJECT-DN":"CN=fuzz client,O=Certlens","X-CERT-SERIAL":"00FF01","X-CERT-FINGERPRINT-SHA1":"ab","X-CERT-FINGERPRINT-SHA256":"cd","X-CERT-NOTBEFORE":"Dec 22 19:39:00 2024 GMT","X-CERT-NOTAFTER":"Dec 22 19:39:00 2025 GMT","X-CERT-VERIFY":"SUCCESS","X-CERT-PRESENTED":"1"}
JSON
cat > "$echo_/tls-client-auth.json" <<'JSON'
{"tlsClientAuth":{"certPresented":"1","certVerified":"FAILED:self signed certificate","certSubjectDN":"CN=x","certIssuerDNLegacy":"/CN=x","certSerial":"0A","certNotBefore":"Jan  1 00:00:00 2024 GMT","certSKI":"0102"}}
JSON
cat > "$echo_/nginx.json" <<'JSON'
{"ssl_client_s_dn":"CN=x,O=y","ssl_client_verify":"NONE","ssl_client_serial":"0A","ssl_client_v_remain":"3","cf-client-cert-sha256":"00"}
JSON
printf '<html><body>403</body></html>' > "$echo_/html"
printf '[1,2,3]' > "$echo_/array.json"
printf '{"certVerified":"NONE","certPresented":"0"}' > "$echo_/placeholder.json"
echo "seeded: $(ls "$load" | wc -l) load, $(ls "$fields" | wc -l) fields, $(ls "$verify" | wc -l) verify, $(ls "$echo_" | wc -l) echo"
