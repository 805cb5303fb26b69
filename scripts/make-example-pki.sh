#!/usr/bin/env bash
# Generates examples/pki: a small kubeadm-style cluster PKI with planted defects, made with openssl
# alone (independently of kspect). The keys are throwaway demo keys: never use them anywhere.
#   bash scripts/make-example-pki.sh        (rewrites examples/pki/, keeps README.md)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=examples/pki
rm -rf "$OUT/etc-kubernetes" "$OUT/manifests" "$OUT/extra"
mkdir -p "$OUT/etc-kubernetes/pki/etcd" "$OUT/manifests" "$OUT/extra"
P="$OUT/etc-kubernetes/pki"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

ec() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
rsa() { openssl genpkey -algorithm RSA -pkeyopt "rsa_keygen_bits:$2" -out "$1" 2>/dev/null; }

# ca NAME CN: a self-signed CA for 10 years, as kubeadm makes it.
ca() {
  ec "$1.key"
  openssl req -x509 -key "$1.key" -out "$1.crt" -subj "/CN=$2" -days 3650 \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign 2>/dev/null
}

# sign OUT CA SUBJECT EXT [DAYS] [DIGEST] [KEYTYPE]: a key and a certificate signed by CA.
sign() {
  local out=$1 cakey=$2 subj=$3 ext=$4 days=${5:-365} md=${6:-sha256} kt=${7:-ec}
  if [ "$kt" = ec ]; then ec "$out.key"; else rsa "$out.key" "$kt"; fi
  openssl req -new -key "$out.key" -subj "$subj" -out "$WORK/req.csr" 2>/dev/null
  printf '[ext]\n%b\nsubjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid\n' "$ext" > "$WORK/ext.cnf"
  openssl x509 -req -in "$WORK/req.csr" -CA "$cakey.crt" -CAkey "$cakey.key" -set_serial "0x$(openssl rand -hex 16)" \
    -days "$days" "-$md" -extfile "$WORK/ext.cnf" -extensions ext -out "$out.crt" 2>/dev/null
}

SERVER='basicConstraints = critical, CA:FALSE\nkeyUsage = critical, digitalSignature, keyEncipherment\nextendedKeyUsage = serverAuth'
CLIENT='basicConstraints = critical, CA:FALSE\nkeyUsage = critical, digitalSignature, keyEncipherment\nextendedKeyUsage = clientAuth'
PEER='basicConstraints = critical, CA:FALSE\nkeyUsage = critical, digitalSignature, keyEncipherment\nextendedKeyUsage = serverAuth, clientAuth'

ca "$P/ca" kubernetes
ca "$P/front-proxy-ca" front-proxy-ca
ca "$P/etcd/ca" etcd-ca

# Planted: the API server certificate lacks kubernetes.default.svc.cluster.local.
sign "$P/apiserver" "$P/ca" /CN=kube-apiserver "$SERVER\nsubjectAltName = DNS:cp-1, DNS:kubernetes, DNS:kubernetes.default, DNS:kubernetes.default.svc, IP:10.96.0.1, IP:192.168.10.11"
# Planted: a kubelet client certificate in system:masters (kubeadm before 1.29 did this).
sign "$P/apiserver-kubelet-client" "$P/ca" "/O=system:masters/CN=kube-apiserver-kubelet-client" "$CLIENT"
sign "$P/front-proxy-client" "$P/front-proxy-ca" /CN=front-proxy-client "$CLIENT"
sign "$P/apiserver-etcd-client" "$P/etcd/ca" /CN=kube-apiserver-etcd-client "$CLIENT"
# Planted: etcd's server certificate without localhost / 127.0.0.1.
sign "$P/etcd/server" "$P/etcd/ca" /CN=cp-1 "$PEER\nsubjectAltName = DNS:cp-1, IP:192.168.10.11"
sign "$P/etcd/peer" "$P/etcd/ca" /CN=cp-1 "$PEER\nsubjectAltName = DNS:cp-1, IP:192.168.10.11"
# Planted: the healthcheck client carries serverAuth only.
sign "$P/etcd/healthcheck-client" "$P/etcd/ca" /CN=kube-etcd-healthcheck-client "$SERVER"

# Planted: sa.pub does not belong to sa.key.
rsa "$P/sa.key" 2048
rsa "$WORK/other-sa.key" 2048
openssl pkey -in "$WORK/other-sa.key" -pubout -out "$P/sa.pub" 2>/dev/null

# admin.conf with an embedded system:masters client certificate (RSA 1024: planted weak key).
sign "$WORK/admin" "$P/ca" "/O=system:masters/CN=kubernetes-admin" "$CLIENT" 365 sha256 1024
b64() { base64 -w0 "$1"; }
cat > "$OUT/etc-kubernetes/admin.conf" <<CONF
apiVersion: v1
kind: Config
clusters:
- name: demo
  cluster:
    server: https://192.168.10.11:6443
    certificate-authority-data: $(b64 "$P/ca.crt")
users:
- name: kubernetes-admin
  user:
    client-certificate-data: $(b64 "$WORK/admin.crt")
    client-key-data: $(b64 "$WORK/admin.key")
contexts:
- name: kubernetes-admin@demo
  context: {cluster: demo, user: kubernetes-admin}
current-context: kubernetes-admin@demo
CONF

# extra/: loose certificates with more defects.
# Planted: SHA-1 signature, a partial wildcard, and a leaf that can sign certificates.
sign "$OUT/extra/legacy" "$P/ca" /CN=legacy.demo.example "$SERVER\nsubjectAltName = DNS:legacy.demo.example" 365 sha1
sign "$OUT/extra/wildcard" "$P/ca" /CN=apps "$SERVER\nsubjectAltName = DNS:app*.demo.example"
sign "$OUT/extra/signer" "$P/ca" /CN=signer "basicConstraints = CA:FALSE\nkeyUsage = critical, digitalSignature, keyCertSign\nextendedKeyUsage = serverAuth\nsubjectAltName = DNS:signer.demo.example"
# Planted: expired on 2024-01-01 (signed with explicit dates through openssl ca).
ec "$OUT/extra/expired.key"
openssl req -new -key "$OUT/extra/expired.key" -subj /CN=old.demo.example -out "$WORK/old.csr" 2>/dev/null
touch "$WORK/index"; echo 1000 > "$WORK/serial"
cat > "$WORK/ca.cnf" <<CNF
[ca]
default_ca = d
[d]
database = $WORK/index
serial = $WORK/serial
new_certs_dir = $WORK
default_md = sha256
policy = p
unique_subject = no
[p]
commonName = supplied
[ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:old.demo.example
CNF
openssl ca -batch -config "$WORK/ca.cnf" -cert "$P/ca.crt" -keyfile "$P/ca.key" -in "$WORK/old.csr" -out "$OUT/extra/expired.crt" \
  -startdate 20230101000000Z -enddate 20240101000000Z -extensions ext -notext 2>/dev/null

# manifests/: what `kspect scan` sees — TLS Secrets and an Ingress.
sign "$WORK/shop" "$P/ca" /CN=shop.demo.example "$SERVER\nsubjectAltName = DNS:shop.demo.example"
cat > "$OUT/manifests/shop.yaml" <<YAML
# The Ingress serves www.demo.example with a certificate for shop.demo.example only (planted),
# and the Secret's tls.key belongs to another certificate (planted).
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  namespace: shop
spec:
  tls:
    - hosts: [shop.demo.example, www.demo.example]
      secretName: shop-tls
  rules: []
---
apiVersion: v1
kind: Secret
metadata:
  name: shop-tls
  namespace: shop
type: kubernetes.io/tls
data:
  tls.crt: $(b64 "$WORK/shop.crt")
  tls.key: $(b64 "$OUT/extra/wildcard.key")
  ca.crt: $(b64 "$P/ca.crt")
---
# An expired certificate in a TLS Secret (planted).
apiVersion: v1
kind: Secret
metadata:
  name: legacy-tls
  namespace: shop
type: kubernetes.io/tls
data:
  tls.crt: $(b64 "$OUT/extra/expired.crt")
  tls.key: $(b64 "$OUT/extra/expired.key")
YAML
rm -f "$P"/*.srl "$P"/etcd/*.srl
chmod 600 "$P"/*.key "$P"/etcd/*.key "$OUT"/extra/*.key
echo "examples/pki regenerated" >&2
