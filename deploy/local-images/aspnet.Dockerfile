# A stand-in for mcr.microsoft.com/dotnet/aspnet, built by scripts/local-images.sh from this machine's .NET
# runtime on a debootstrapped Debian. Same layout, user and variables as the official image, so the app
# Dockerfiles work on either.
ARG BASE
FROM ${BASE}
COPY dotnet /usr/share/dotnet
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet \
 && groupadd --gid 1654 app && useradd --uid 1654 --gid 1654 --no-create-home --shell /usr/sbin/nologin app
ENV APP_UID=1654 \
    ASPNETCORE_HTTP_PORTS=8080 \
    DOTNET_RUNNING_IN_CONTAINER=true \
    DOTNET_NOLOGO=true
