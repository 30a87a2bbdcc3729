# A stand-in for mcr.microsoft.com/dotnet/sdk, built by scripts/local-images.sh from this machine's .NET SDK.
# It trusts this machine's CA certificates, as a build machine behind a company TLS proxy must, so that
# `dotnet restore` inside a build reaches the same NuGet feed the machine does.
ARG BASE
FROM ${BASE}
COPY dotnet /usr/share/dotnet
COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
# Certificate revocation lists are out of reach where registries are the only way out.
ENV NUGET_CERT_REVOCATION_MODE=offline \
    DOTNET_CLI_TELEMETRY_OPTOUT=true \
    DOTNET_SKIP_FIRST_TIME_EXPERIENCE=true
