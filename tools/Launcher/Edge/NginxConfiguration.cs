using System.Globalization;
using System.Text;

namespace MicroDemo.Launcher.Edge;

/// <summary>
/// The edge's nginx.conf, written fresh into the run folder on every start. Each directive is there for a reason
/// given next to it in the file, so the file itself teaches what an edge in front of gateway replicas does.
/// </summary>
internal static class NginxConfiguration
{
    /// <summary>A replica that fails this many times in a row is left out for <see cref="FailTimeoutSeconds"/>.</summary>
    public const int MaxFails = 1;

    public const int FailTimeoutSeconds = 5;

    public static string Render(EdgeDefinition edge)
    {
        var directory = edge.Directory;
        var servers = new StringBuilder();
        foreach (var replica in edge.Replicas)
        {
            servers.Append(CultureInfo.InvariantCulture,
                $"        server {EdgeDefinition.Address}:{replica.Port} max_fails={MaxFails} fail_timeout={FailTimeoutSeconds}s; # {replica.Owner}\n");
        }

        return $$"""
            # The edge in front of MicroDemo's gateway replicas, written by ./demo for this run only: no system
            # nginx configuration is read or touched (nginx runs with -p {{directory}}/ -c this file).
            daemon off;                      # ./demo watches and stops it like its other processes
            worker_processes 1;              # one worker is plenty for a demo, and leaves the cores to the gateways
            pid {{directory}}/nginx.pid;
            error_log stderr warn;           # into logs/edge.log, with the output of every other process

            events {
                worker_connections 4096;
            }

            http {
                access_log off;              # the gateways log what matters; no disk write per request
                server_tokens off;
                client_body_temp_path {{directory}}/temp/body;
                proxy_temp_path {{directory}}/temp/proxy;
                fastcgi_temp_path {{directory}}/temp/fastcgi;
                uwsgi_temp_path {{directory}}/temp/uwsgi;
                scgi_temp_path {{directory}}/temp/scgi;

                # Bodies stream through as they arrive, both ways, as the gateway streams them (uploads, SSE);
                # the gateway, not the edge, decides how large a body may be.
                client_max_body_size 0;
                proxy_request_buffering off;
                proxy_buffering off;

                # Compresses what the gateway sent uncompressed; a response that already has a
                # Content-Encoding (the gateway's own gzip or br) is passed as it is.
                gzip on;
                gzip_proxied any;
                gzip_vary on;
                gzip_min_length 1024;
                gzip_types text/plain text/css application/json application/problem+json application/javascript application/xml;

                # WebSocket upgrades pass through; every other request keeps the upstream connection alive.
                map $http_upgrade $connection_upgrade {
                    default upgrade;
                    ''      '';
                }

                upstream gateway {
                    # Round robin; a replica that fails (see proxy_next_upstream) rests for fail_timeout, then is tried again.
            {{servers}}        # Idle connections kept open to the replicas: no TCP handshake per request.
                    keepalive 32;
                    keepalive_requests 100000;
                }

                server {
                    listen {{EdgeDefinition.Address}}:{{edge.Port.Port}};
                    listen {{EdgeDefinition.Address}}:{{edge.HttpsPort.Port}} ssl http2;
                    ssl_certificate {{edge.Certificate.PemCertificatePath}};
                    ssl_certificate_key {{edge.Certificate.PemKeyPath}};

                    location / {
                        proxy_pass http://gateway;
                        proxy_http_version 1.1;
                        proxy_set_header Connection $connection_upgrade;
                        proxy_set_header Upgrade $http_upgrade;
                        proxy_set_header Host $http_host;

                        # Who the client is, for the gateway, which trusts these from 127.0.0.1 only: the client's
                        # address is appended to any X-Forwarded-For it sent, and the gateway reads only that last entry.
                        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                        proxy_set_header X-Forwarded-Proto $scheme;
                        proxy_set_header X-Forwarded-Host $http_host;

                        # A replica that refuses, resets, times out or answers 502/503 is retried once on the next
                        # one; nginx never retries POST, PATCH or LOCK (not idempotent) once they were sent.
                        proxy_next_upstream error timeout http_502 http_503;
                        proxy_next_upstream_tries {{edge.Replicas.Count}};
                        proxy_connect_timeout 2s;
                        proxy_read_timeout 100s;
                        proxy_send_timeout 100s;
                    }
                }
            }

            """;
    }
}
