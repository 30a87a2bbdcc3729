# A stand-in for the nginx image, built by scripts/local-images.sh: Debian bookworm's nginx-light (the package
# scripts/install-nginx.sh gives ./demo's edge) and curl (what the official image offers healthchecks).
# docker-compose.scale.yml passes the same command line to either image.
ARG BASE
FROM ${BASE}
ARG MIRROR
RUN echo "deb $MIRROR bookworm main" > /etc/apt/sources.list \
 && apt-get -qq update && DEBIAN_FRONTEND=noninteractive apt-get -qq install -y --no-install-recommends nginx-light curl >/dev/null \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb
EXPOSE 80
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
