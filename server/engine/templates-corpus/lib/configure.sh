#!/bin/sh
set -eu
echo "${greeting}" > /tmp/greeting
apt-get install -y $(echo "${packages}" | tr ',' ' ')
echo done > ${heat_outputs_path}.result
