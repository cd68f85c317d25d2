# syntax=docker/dockerfile:1
#
# A static Attaché binary in a minimal, non-root image.
#
#   docker build -t attache --build-arg VERSION=$(git describe --always --dirty) .
#   docker run --rm -e ATTACHE_DISCORD_TOKEN -v attache-state:/var/lib/attache attache
#
# The pure-Go SQLite engine needs no cgo, so the binary is fully static and
# the runtime image holds nothing but it and the CA certificates it needs to
# reach Discord and a model over HTTPS. State (votes, the answer log, and
# with the SQLite driver the index) lives on the /var/lib/attache volume.

FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=
RUN CGO_ENABLED=0 go build -trimpath -buildvcs=false \
      -ldflags "-s -w -X main.version=${VERSION}" -o /out/attache ./cmd/attache \
 && mkdir -p /out/var/lib/attache

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/attache /usr/local/bin/attache
# The volume's mount point, owned by the image's non-root user so that a new
# named volume starts out writable by it.
COPY --from=build --chown=65532:65532 /out/var/lib/attache /var/lib/attache
# Where the binary keeps its state and cache (XDG folders under the volume).
ENV XDG_STATE_HOME=/var/lib/attache/state \
    XDG_CACHE_HOME=/var/lib/attache/cache \
    XDG_CONFIG_HOME=/etc
VOLUME ["/var/lib/attache"]
USER 65532:65532
WORKDIR /var/lib/attache
ENTRYPOINT ["/usr/local/bin/attache"]
CMD ["serve"]
