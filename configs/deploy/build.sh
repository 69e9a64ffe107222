#!/bin/sh
# build.sh OUTPUT [VERSION] builds the switchboard binary the way the
# container image ships it. The Dockerfile runs it, and so does the test
# that starts the binary as the image would (cmd/switchboard/deploy_test.go),
# so what is tested is what is shipped.
#
#   CGO_ENABLED=0  a static binary: the SQLite driver (modernc) is pure Go,
#                  and the image (distroless static) has no C library.
#   -trimpath      no build machine paths in the binary or its stack traces.
#   -X main.version  what `switchboard version` and the start-up log print.
#
# GOOS and GOARCH pass through from the environment (the Dockerfile sets
# them for cross-platform images). Run from the repository root.
set -eu
out=${1:?usage: build.sh OUTPUT [VERSION]}
version=${2:-dev}
CGO_ENABLED=0 exec go build -trimpath -buildvcs=false \
  -ldflags "-s -w -X main.version=${version}" \
  -o "$out" ./cmd/switchboard
