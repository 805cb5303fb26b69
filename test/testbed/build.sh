#!/usr/bin/env bash
# Builds the testbed's kube-apiserver and etcd from Go modules, pinned by test/testbed/go.mod, into a cache
# folder outside the clone, once per machine. Idempotent: does nothing when the binaries are there, or when
# KUBEBUILDER_ASSETS points at envtest assets (kube-apiserver + etcd), or when KSPECT_TESTBED=off.
#
# Prints the folder holding the binaries on stdout. Progress goes to stderr.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# Keep these in step with go.mod (the require lines) and test/testbed/testbed.ts.
K8S_VERSION=v1.35.4
ETCD_VERSION=v3.6.5

# Take the lock on file descriptor $1 (file $3); when another process holds it — it is building $2 — say so and wait,
# so `npm test` never sits silent behind a build of another worktree or session.
take_lock() {
  flock -n "$1" && return 0
  echo "testbed: waiting for another process that is building $2 (it holds $3; the first build takes minutes)" >&2
  local t0=$(date +%s)
  flock "$1"
  echo "testbed: $2 is free after $(( $(date +%s) - t0 ))s of waiting" >&2
}

# The per-machine cache every binary below is built into.
cache="${KSPECT_TESTBED_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kspect-testbed}"

# Put Go on PATH (it may be installed but not on PATH); when there is none, say what is skipped ($1: what needs
# building, $2: what is skipped without it) and fail.
need_go() {
  command -v go >/dev/null 2>&1 || for g in /usr/local/go/bin/go /usr/lib/go/bin/go; do [ -x "$g" ] && PATH="$(dirname "$g"):$PATH" && break; done
  command -v go >/dev/null 2>&1 && return 0
  echo "testbed: Go is needed to build $1 once; $2" >&2
  return 1
}

# One test-only program, cmd/NAME of this module, built once per machine into $cache/$K8S_VERSION-TAG-HASH (a change
# of its source or of go.mod rebuilds it). Prints the binary's path; nothing when Go is missing or KSPECT_TESTBED=off.
build_cmd() { # NAME TAG WHAT-IT-IS WHAT-IS-SKIPPED-WITHOUT-GO
  local name="$1" tag="$2" what="$3" skipped="$4" src dir
  [ "${KSPECT_TESTBED:-}" = off ] && exit 0
  src="$(cat "$here/go.mod" "$here"/cmd/"$name"/*.go | sha256sum | cut -c1-12)"
  dir="$cache/$K8S_VERSION-$tag-$src"
  if [ -x "$dir/$name" ]; then echo "$dir/$name"; exit 0; fi
  need_go "$name from k8s.io/kubernetes $K8S_VERSION" "$skipped" || exit 0
  mkdir -p "$dir"
  exec 7>"$dir/$name.lock"
  take_lock 7 "$name" "$dir/$name.lock"
  if [ ! -x "$dir/$name" ]; then
    echo "testbed: building $name ($what) into $dir (once per machine)" >&2
    (cd "$here" && GOFLAGS="-buildvcs=false" CGO_ENABLED=0 nice -n 10 go build -mod=readonly -trimpath -ldflags "-s -w" -o "$dir/$name.tmp" "./cmd/$name")
    mv "$dir/$name.tmp" "$dir/$name"
  fi
  echo "$dir/$name"
  exit 0
}

# `build.sh rbac-aggregate`: the upstream ClusterRole aggregation controller of the pinned k8s.io/kubernetes module,
# run once to a fixed point by cmd/rbac-aggregate (the testbed has no controller-manager; the RBAC differential test
# needs it).
[ "${1:-}" = rbac-aggregate ] && build_cmd rbac-aggregate rbac "the ClusterRole aggregation controller of k8s.io/kubernetes $K8S_VERSION" "the RBAC differential test will be skipped"

# `build.sh kubeconfig-client`: a client resolving kubeconfigs with client-go's clientcmd as kubectl does
# (cmd/kubeconfig-client; kspect's differential kubeconfig test compares what both send to a recording server).
[ "${1:-}" = kubeconfig-client ] && build_cmd kubeconfig-client kubeconfig "client-go's kubeconfig loading of $K8S_VERSION" "the kubeconfig differential test will be skipped"

if [ "${KSPECT_TESTBED:-}" = off ]; then
  echo "testbed: KSPECT_TESTBED=off, not building" >&2
  exit 0
fi

# `build.sh helm`: the helm binary for the chart-rendering tests of `kspect scan CHART` (test-only: kspect runs the
# user's helm when present), built from the Go module proxy into the per-machine cache. Prints its path; nothing when
# Go is missing (the chart tests are then skipped and say so).
if [ "${1:-}" = helm ]; then
  HELM_VERSION=v3.16.4   # keep in step with test/support/helm.ts
  out="$cache/helm-$HELM_VERSION"
  if [ -x "$out/helm" ]; then echo "$out/helm"; exit 0; fi
  need_go "helm $HELM_VERSION" "the helm chart tests will be skipped" || exit 0
  mkdir -p "$out"
  exec 6>"$out.lock"
  take_lock 6 "helm $HELM_VERSION" "$out.lock"
  if [ ! -x "$out/helm" ]; then
    start=$(date +%s)
    echo "testbed: building helm $HELM_VERSION into $out (once per machine; takes a few minutes)" >&2
    GOFLAGS="-buildvcs=false" CGO_ENABLED=0 GOBIN="$out/bin.tmp" nice -n 10 go install -trimpath -ldflags "-s -w" "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
    mv "$out/bin.tmp/helm" "$out/helm" && rmdir "$out/bin.tmp"
    echo "testbed: helm built after $(( $(date +%s) - start ))s" >&2
  fi
  echo "$out/helm"
  exit 0
fi

# `build.sh images`: the image supply-chain test binaries from their own Go module, test/testbed/images/go.mod (their
# dependency universe is unlike Kubernetes'): cosign, crane, and testregistry (go-containerregistry's registry with
# referrers, TLS and auth). Prints the folder holding them; nothing when Go is missing.
if [ "${1:-}" = images ]; then
  IMAGES_VERSION=cosign-v3.1.3-ggcr-v0.22.1-r2   # bump with test/testbed/images/ (go.mod, cmd/); keep in step with test/support/images.ts
  out="$cache/images-$IMAGES_VERSION"
  have() { [ -x "$out/cosign" ] && [ -x "$out/testregistry" ] && [ -x "$out/crane" ]; }
  if have; then echo "$out"; exit 0; fi
  need_go "cosign and an OCI registry" "image signature tests will be skipped" || exit 0
  mkdir -p "$out"
  exec 8>"$out.lock"
  take_lock 8 "cosign, crane and testregistry" "$out.lock"
  if have; then echo "$out"; exit 0; fi
  start=$(date +%s)
  echo "testbed: building cosign, crane and testregistry into $out (once per machine; takes a few minutes)" >&2
  cd "$here/images"
  export GOFLAGS="-buildvcs=false"
  export CGO_ENABLED=0
  for tool in ./cmd/testregistry github.com/google/go-containerregistry/cmd/crane github.com/sigstore/cosign/v3/cmd/cosign; do
    name="$(basename "$tool")"
    nice -n 10 go build -trimpath -ldflags "-s -w" -o "$out/$name.tmp" "$tool"
    mv "$out/$name.tmp" "$out/$name"
    echo "testbed: $name built after $(( $(date +%s) - start ))s" >&2
  done
  echo "$out"
  exit 0
fi

# kspect probe's components, on request: `build.sh hollow-kubelet` builds kubemark's hollow kubelet with the small
# wrapper in cmd/hollow-kubelet (TLS and authn/authz modes set by flags) from the pinned k8s.io/kubernetes module;
# `build.sh kubectl` prints the machine's kubectl, or builds cmd/kubectl-proxy (`kubectl proxy`'s own server package
# from the same module) when there is none. Each prints the binary's path on stdout (nothing when Go is missing);
# progress goes to stderr.
if [ "${1:-}" = hollow-kubelet ] || [ "${1:-}" = kubectl ]; then
  what="$1"
  if [ "$what" = kubectl ] && command -v kubectl >/dev/null 2>&1; then
    command -v kubectl
    exit 0
  fi
  [ "$what" = kubectl ] && what=kubectl-proxy
  dir="$cache/$K8S_VERSION-probe"
  if [ -x "$dir/$what" ]; then
    echo "$dir/$what"
    exit 0
  fi
  need_go "$what from k8s.io/kubernetes $K8S_VERSION" "its tests will be skipped" || exit 0
  mkdir -p "$dir"
  exec 9>"$dir/$what.lock"
  take_lock 9 "$what" "$dir/$what.lock"
  if [ ! -x "$dir/$what" ]; then
    echo "testbed: building $what from k8s.io/kubernetes $K8S_VERSION into $dir (once per machine)" >&2
    cd "$here"
    pkg="./cmd/$what"
    GOFLAGS="-buildvcs=false" CGO_ENABLED=0 nice -n 10 go build -mod=readonly -trimpath -ldflags "-s -w -X k8s.io/component-base/version.gitVersion=$K8S_VERSION" -o "$dir/$what.tmp" "$pkg"
    mv "$dir/$what.tmp" "$dir/$what"
  fi
  echo "$dir/$what"
  exit 0
fi

# `build.sh control-plane`: kspect probe's other control-plane components — kube-controller-manager, kube-scheduler and
# kube-proxy — built unmodified from the same pinned k8s.io/kubernetes module as the testbed's kube-apiserver (go.mod's
# `tool` lines keep their dependencies in go.sum), one at a time, into the per-machine cache. Prints the folder holding
# them; nothing when Go is missing. Progress goes to stderr.
if [ "${1:-}" = control-plane ]; then
  out="$cache/$K8S_VERSION-control-plane"
  components="kube-controller-manager kube-scheduler kube-proxy"
  have() { for c in $components; do [ -x "$out/$c" ] || return 1; done; }
  if have; then echo "$out"; exit 0; fi
  need_go "kube-controller-manager, kube-scheduler and kube-proxy from k8s.io/kubernetes $K8S_VERSION" "their probe tests will be skipped" || exit 0
  mkdir -p "$out"
  exec 5>"$out.lock"
  take_lock 5 "kube-controller-manager, kube-scheduler and kube-proxy" "$out.lock"
  start=$(date +%s)
  cd "$here"
  for c in $components; do
    [ -x "$out/$c" ] && continue
    echo "testbed: building $c from k8s.io/kubernetes $K8S_VERSION into $out (once per machine; a big build, takes minutes)" >&2
    GOFLAGS="-buildvcs=false" CGO_ENABLED=0 nice -n 10 go build -mod=readonly -trimpath \
      -ldflags "-s -w -X k8s.io/component-base/version.gitVersion=$K8S_VERSION -X k8s.io/component-base/version.gitTreeState=clean" \
      -o "$out/$c.tmp" "k8s.io/kubernetes/cmd/$c"
    mv "$out/$c.tmp" "$out/$c"
    echo "testbed: $c built after $(( $(date +%s) - start ))s" >&2
  done
  echo "$out"
  exit 0
fi

if [ -n "${KUBEBUILDER_ASSETS:-}" ]; then
  if [ -x "$KUBEBUILDER_ASSETS/kube-apiserver" ] && [ -x "$KUBEBUILDER_ASSETS/etcd" ]; then
    echo "testbed: using envtest assets in $KUBEBUILDER_ASSETS" >&2
    echo "$KUBEBUILDER_ASSETS"
    exit 0
  fi
  echo "testbed: KUBEBUILDER_ASSETS=$KUBEBUILDER_ASSETS lacks an executable kube-apiserver and etcd" >&2
  exit 1
fi

out="$cache/$K8S_VERSION-etcd-$ETCD_VERSION"
if [ -x "$out/kube-apiserver" ] && [ -x "$out/etcd" ]; then
  echo "$out"
  exit 0
fi

need_go "kube-apiserver $K8S_VERSION and etcd $ETCD_VERSION" "cluster tests will be skipped (or set KUBEBUILDER_ASSETS to envtest assets)" || exit 0

mkdir -p "$out"
# One builder at a time per machine; a second caller waits and then finds the binaries.
exec 9>"$out.lock"
take_lock 9 "kube-apiserver and etcd" "$out.lock"
if [ -x "$out/kube-apiserver" ] && [ -x "$out/etcd" ]; then
  echo "$out"
  exit 0
fi

start=$(date +%s)
echo "testbed: building kube-apiserver $K8S_VERSION and etcd $ETCD_VERSION into $out (once per machine; takes a while)" >&2
cd "$here"
export GOFLAGS="-buildvcs=false"
export CGO_ENABLED=0
version_flags="-X k8s.io/component-base/version.gitVersion=$K8S_VERSION"
version_flags+=" -X k8s.io/component-base/version.gitMajor=$(echo "$K8S_VERSION" | sed -E 's/^v([0-9]+)\..*/\1/')"
version_flags+=" -X k8s.io/component-base/version.gitMinor=$(echo "$K8S_VERSION" | sed -E 's/^v[0-9]+\.([0-9]+)\..*/\1/')"
version_flags+=" -X k8s.io/component-base/version.gitTreeState=clean"
nice -n 10 go build -trimpath -ldflags "-s -w" -o "$out/etcd.tmp" go.etcd.io/etcd/server/v3
mv "$out/etcd.tmp" "$out/etcd"
echo "testbed: etcd built after $(( $(date +%s) - start ))s" >&2
nice -n 10 go build -trimpath -ldflags "-s -w $version_flags" -o "$out/kube-apiserver.tmp" k8s.io/kubernetes/cmd/kube-apiserver
mv "$out/kube-apiserver.tmp" "$out/kube-apiserver"
echo "testbed: kube-apiserver built after $(( $(date +%s) - start ))s" >&2
echo "$out"
