# One image with the four services, ipsctl and ips-sim; the container's
# command picks the binary (docker-compose.yml, deploy/k8s). Debian 12
# packages only, as on the build machines.
#
#   docker build -t ips-sydhavnen:dev .
#
# The runtime stage is debian:12-slim; --build-arg RUNTIME_BASE=debian:12
# builds it on the full base (scripts/container-test.sh measures both).
ARG RUNTIME_BASE=debian:12-slim

FROM debian:12 AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      build-essential cmake ninja-build pkg-config ca-certificates \
      protobuf-compiler protobuf-compiler-grpc libprotobuf-dev libgrpc++-dev \
      golang-github-gogo-googleapis-dev grpc-proto libabsl-dev libspdlog-dev libfmt-dev nlohmann-json3-dev \
      libcpp-jwt-dev libssl-dev prometheus-cpp-dev libsoci-dev libsqlite3-dev libpq-dev libboost-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY CMakeLists.txt ./
COPY proto proto
COPY services services
COPY tools tools
RUN cmake -S . -B /build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DIPS_BUILD_TESTS=OFF -DIPS_BUILD_BENCH=OFF \
 && cmake --build /build -j2 --target registry treatment matching reporting ipsctl ips-sim \
 && mkdir -p /out \
 && for b in services/registry/registry services/treatment/treatment services/matching/matching \
              services/reporting/reporting tools/ipsctl/ipsctl tools/ips-sim/ips-sim; do \
      strip --strip-debug -o "/out/$(basename "$b")" "/build/$b"; \
    done

FROM ${RUNTIME_BASE}
# Only the shared libraries the binaries load.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      ca-certificates libabsl20220623 libgrpc++1.51 libprotobuf32 libspdlog1.10 libfmt9 libssl3 \
      libsoci-core4.0 libsoci-sqlite3-4.0 libsoci-postgresql4.0 libsqlite3-0 libpq5 \
      libprometheus-cpp-core1.0 libprometheus-cpp-pull1.0 \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 ips \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin ips
COPY --from=build /out/ /usr/local/bin/
# Non-root; the root filesystem can be mounted read-only (SQLite files, if
# used, go to a mounted volume).
USER 10001:10001
EXPOSE 50051 8081 9464
# The gRPC health of the server on its own TLS port; IPS_ADDR, IPS_CA,
# IPS_CERT and IPS_KEY (ipsctl's settings) come from the environment.
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 CMD ["ipsctl", "health", "check", "--timeout=4"]
CMD ["ipsctl", "help"]
