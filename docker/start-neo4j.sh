#!/bin/sh
# Entry point of the neo4j service of docker-compose.yml: puts the pinned jars resolved by
# the plugins service that the image does not already have in lib/ (GDS, APOC, their own
# dependencies, illnet-browser.jar) into /plugins, which precedes lib/ on the classpath,
# then starts Neo4j as the image does.
set -eu
rm -f /plugins/*.jar
for jar in /jars/*.jar; do
  [ -e "/var/lib/neo4j/lib/${jar##*/}" ] || cp "$jar" /plugins/
done
exec tini -g -- /startup/docker-entrypoint.sh neo4j
