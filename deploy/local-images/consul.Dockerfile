# A stand-in for the hashicorp/consul image, built by scripts/local-images.sh around the Consul binary that
# scripts/install-consul.sh provides. docker-compose.yml passes the same arguments to either (`agent -dev ...`).
ARG BASE
FROM ${BASE}
COPY consul /usr/local/bin/consul
RUN useradd --system --no-create-home --shell /usr/sbin/nologin consul
USER consul
EXPOSE 8500
ENTRYPOINT ["consul"]
