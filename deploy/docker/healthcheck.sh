#!/bin/bash
# perf-healthcheck [PORT] [PATH]
# Exits 0 when http://127.0.0.1:PORT/PATH (default 9090 /readyz, the management port) answers
# 200. Used by the images' HEALTHCHECK and by docker-compose.yml: the aspnet runtime image has
# no curl or wget, so this speaks HTTP/1.0 through bash's /dev/tcp.
port="${1:-9090}"
path="${2:-/readyz}"
exec 3<>"/dev/tcp/127.0.0.1/${port}" || { echo "cannot connect to 127.0.0.1:${port}"; exit 1; }
printf 'GET %s HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n' "${path}" >&3
IFS= read -r -t 5 status <&3 || { echo "no answer from 127.0.0.1:${port}${path}"; exit 1; }
status="${status%$'\r'}"
case "${status}" in
    "HTTP/"*" 200"*) exit 0 ;;
    *) echo "127.0.0.1:${port}${path}: ${status}"; exit 1 ;;
esac
