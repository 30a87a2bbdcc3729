# A stand-in for the redis image, built by scripts/local-images.sh: Debian bookworm's own redis-server (7.0, the
# version scripts/install-redis.sh gives ./demo), from the Debian mirror this machine's apt uses.
# docker-compose.scale.yml passes the same command line to either image.
ARG BASE
FROM ${BASE}
ARG MIRROR
RUN echo "deb $MIRROR bookworm main" > /etc/apt/sources.list \
 && apt-get -qq update && DEBIAN_FRONTEND=noninteractive apt-get -qq install -y --no-install-recommends redis-server >/dev/null \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb
USER redis
WORKDIR /var/lib/redis
EXPOSE 6379
CMD ["redis-server"]
