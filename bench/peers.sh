#!/usr/bin/env bash
# Builds the peer scanners that `npm run bench -- scan` compares kspect with, from the Go module proxy, into the
# per-machine cache (the testbed's, outside the clone), once per machine, under a lock. Bench-only: never part of
# kspect. Prints one line per peer, `name<TAB>path-or-empty<TAB>note`, on stdout; progress goes to stderr.
#
# kube-score: github.com/zegl/kube-score, pinned below.
# kube-linter: its module (golang.stackrox.io/kube-linter, formerly github.com/stackrox/kube-linter) is not served by
# the Go module proxy, so it cannot be built here; KSPECT_BENCH_KUBE_LINTER=/path/to/kube-linter adds one you have.
set -euo pipefail

KUBE_SCORE_VERSION=v1.20.0
cache="${KSPECT_TESTBED_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kspect-testbed}"

command -v go >/dev/null 2>&1 || for g in /usr/local/go/bin/go /usr/lib/go/bin/go; do [ -x "$g" ] && PATH="$(dirname "$g"):$PATH" && break; done

out="$cache/kube-score-$KUBE_SCORE_VERSION"
if [ ! -x "$out/kube-score" ]; then
  if command -v go >/dev/null 2>&1; then
    mkdir -p "$out"
    exec 9>"$out.lock"
    if ! flock -n 9; then
      echo "bench: waiting for another process that is building kube-score ($out.lock)" >&2
      flock 9
    fi
    if [ ! -x "$out/kube-score" ]; then
      echo "bench: building kube-score $KUBE_SCORE_VERSION into $out (once per machine)" >&2
      GOFLAGS="-buildvcs=false" CGO_ENABLED=0 GOBIN="$out/bin.tmp" nice -n 10 go install -trimpath -ldflags "-s -w" "github.com/zegl/kube-score/cmd/kube-score@$KUBE_SCORE_VERSION" >&2 || true
      [ -x "$out/bin.tmp/kube-score" ] && mv "$out/bin.tmp/kube-score" "$out/kube-score"
      rm -rf "$out/bin.tmp"
    fi
  fi
fi
if [ -x "$out/kube-score" ]; then
  printf 'kube-score\t%s\t%s\n' "$out/kube-score" "github.com/zegl/kube-score $KUBE_SCORE_VERSION from the Go module proxy"
else
  printf 'kube-score\t\t%s\n' "not built: Go or the Go module proxy is not reachable (github.com/zegl/kube-score $KUBE_SCORE_VERSION)"
fi

if [ -n "${KSPECT_BENCH_KUBE_LINTER:-}" ] && [ -x "$KSPECT_BENCH_KUBE_LINTER" ]; then
  printf 'kube-linter\t%s\t%s\n' "$KSPECT_BENCH_KUBE_LINTER" "given by KSPECT_BENCH_KUBE_LINTER"
else
  printf 'kube-linter\t\t%s\n' "not built: its module (golang.stackrox.io/kube-linter) is not served by the Go module proxy; set KSPECT_BENCH_KUBE_LINTER=/path/to/kube-linter to compare with one you have"
fi
