#!/usr/bin/env bash
# Installs what the test suite needs and the machine lacks. Idempotent: does nothing when all is present.
# Called by `npm test` (pretest); CI runs it from a clean clone.
set -euo pipefail

need_apt=()
command -v openssl >/dev/null 2>&1 || need_apt+=(openssl)
# GitHub's Markdown parser: the markdown report is proven not to inject links, HTML or table breaks.
command -v cmark-gfm >/dev/null 2>&1 || need_apt+=(cmark-gfm)
# kspect probe's tests: a real Docker-compatible API (podman system service) and a filtered-port stand-in (python3).
command -v podman >/dev/null 2>&1 || need_apt+=(podman)
command -v python3 >/dev/null 2>&1 || need_apt+=(python3)
# kspect completion's tests load the scripts in the real shells.
command -v zsh >/dev/null 2>&1 || need_apt+=(zsh)
command -v fish >/dev/null 2>&1 || need_apt+=(fish)
# The HTML report's tests drive Debian's headless Chromium through npm playwright-core (never a downloaded browser).
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)

if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "test-deps: installing ${need_apt[*]}" >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "test-deps: missing ${need_apt[*]}; install them (as root: apt-get install ${need_apt[*]})" >&2
    exit 1
  fi
fi

# The cluster testbed: kube-apiserver and etcd built once per machine from Go modules into a cache folder outside
# the clone (skipped when cached, when KUBEBUILDER_ASSETS points at envtest assets, or with KSPECT_TESTBED=off).
bash "$(dirname "${BASH_SOURCE[0]}")/../test/testbed/build.sh" >/dev/null
# Image supply-chain test binaries (cosign, crane, testregistry) from their own Go module, once per machine.
echo "test-deps: cosign, crane and the test registry for the image tests (built once per machine; first time takes minutes)" >&2
bash "$(dirname "${BASH_SOURCE[0]}")/../test/testbed/build.sh" images >/dev/null
# kspect probe's real kubelet (kubemark's hollow kubelet) and kubectl (for kubectl proxy), built once when missing.
bash "$(dirname "${BASH_SOURCE[0]}")/../test/testbed/build.sh" hollow-kubelet >/dev/null
bash "$(dirname "${BASH_SOURCE[0]}")/../test/testbed/build.sh" kubectl >/dev/null
# client-go's kubeconfig loading (what kubectl resolves) for the kubeconfig differential test, once per machine.
echo "test-deps: client-go's kubeconfig loader for the kubeconfig differential test (built once per machine)" >&2
bash "$(dirname "${BASH_SOURCE[0]}")/../test/testbed/build.sh" kubeconfig-client >/dev/null
# helm for the chart-rendering tests of kspect scan (test-only), built once per machine from the Go module proxy.
echo "test-deps: helm for the chart tests (built once per machine; first time takes minutes)" >&2
bash "$(dirname "${BASH_SOURCE[0]}")/../test/testbed/build.sh" helm >/dev/null
