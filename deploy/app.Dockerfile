# One image recipe for every MicroDemo app: docker-compose.yml builds each app from it, naming the app's folder
# and assembly. Build context: the repository root, so the shared build files and services/ServiceDefaults are
# in reach. By hand:
#   docker build -f deploy/app.Dockerfile --build-arg APP_DIR=services/orders --build-arg APP_NAME=MicroDemo.Orders .
#
# The base images are build arguments: the official ones by default; scripts/local-images.sh builds stand-ins for
# machines that cannot reach a registry, and docker-compose.yml passes them from .env.
ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0
ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0-alpine

FROM ${SDK_IMAGE} AS build
ARG APP_DIR
ARG APP_NAME
WORKDIR /src

# Restore from the project files alone: this layer stays cached until a package or project reference changes,
# not on every source edit.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY services/ServiceDefaults/MicroDemo.ServiceDefaults.csproj services/ServiceDefaults/
COPY ${APP_DIR}/${APP_NAME}.csproj ${APP_DIR}/
RUN dotnet restore ${APP_DIR}/${APP_NAME}.csproj

COPY services/ServiceDefaults/ services/ServiceDefaults/
COPY ${APP_DIR}/ ${APP_DIR}/
RUN dotnet publish ${APP_DIR}/${APP_NAME}.csproj -c Release -o /app --no-restore -p:UseAppHost=false

# The compose healthcheck calls wget: busybox's in the official Alpine image, GNU wget in the local one.
FROM ${RUNTIME_IMAGE}
ARG APP_NAME
WORKDIR /app
# Where the apps keep their data (SQLite, signing keys). Created here, owned by the app user, because Docker gives
# an empty named volume mounted over it the same owner: without this the non-root process could not write there.
RUN mkdir /app/data && chown $APP_UID /app/data
COPY --from=build /app .
USER $APP_UID
ENV ASPNETCORE_URLS=http://+:8080 \
    APP_DLL=${APP_NAME}.dll
EXPOSE 8080
# exec: dotnet replaces the shell as process 1, so compose's SIGTERM reaches the app (which deregisters from Consul).
ENTRYPOINT ["/bin/sh", "-c", "exec dotnet \"$APP_DLL\""]
