# syntax=docker/dockerfile:1.7
# hrmesh container image: the same `hrmesh` binary the tests exercise, one image for every
# service (`hrmesh serve <service>`), running as a non-root user on a read-only root filesystem.
#
#   docker build -t hrmesh:dev .
#   docker run --rm --read-only hrmesh:dev --help

ARG RUST_VERSION=1.94
ARG DEBIAN_RELEASE=bookworm

FROM rust:${RUST_VERSION}-${DEBIAN_RELEASE} AS build
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
WORKDIR /src
# The toolchain image already carries gcc, g++, make, perl, pkg-config and the zlib and OpenSSL
# headers: everything librdkafka's build (rdkafka crate, with TLS and SASL/SCRAM) and the bundled
# SQLite need; protox compiles the protos.
COPY . .
RUN --mount=type=cache,target=/usr/local/cargo/registry,sharing=locked \
    --mount=type=cache,target=/src/target,sharing=locked \
    cargo build --release --locked -p hrmesh \
 && mkdir -p /out/bin /out/lib \
 && cp target/release/hrmesh /out/bin/hrmesh \
 && strip /out/bin/hrmesh \
 && cp "$(ldconfig -p | awk '/libz\.so\.1 /{print $NF; exit}')" /out/lib/libz.so.1

# distroless/cc: glibc, libgcc, OpenSSL (libssl3, for Kafka TLS/SCRAM) and CA certificates, no
# shell, no package manager; uid 65532.
FROM gcr.io/distroless/cc-debian12:nonroot
LABEL org.opencontainers.image.title="hrmesh" \
      org.opencontainers.image.description="Event-driven HR platform: one binary, one service per process in platform mode" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.source="https://github.com/hrmesh/hrmesh"
COPY --from=build /out/lib/libz.so.1 /opt/hrmesh/lib/libz.so.1
COPY --from=build /out/bin/hrmesh /usr/local/bin/hrmesh
ENV LD_LIBRARY_PATH=/opt/hrmesh/lib \
    HRMESH_GRPC__HOST=0.0.0.0 \
    HRMESH_DATA_DIR=/tmp/hrmesh
USER 65532:65532
EXPOSE 50051
ENTRYPOINT ["/usr/local/bin/hrmesh"]
CMD ["--help"]
