#!/bin/sh
# The `plugins` service of docker-compose.yml (Maven image): resolves the managed server's
# own POM (src/illnet/server/pom.xml, the one place of version pins) and leaves in $JARS
# every jar of that tree, with the stock Neo4j Browser jar replaced by illnet-browser.jar
# (the same Browser plus the illnet guide and style sheet, as the managed server serves it).
# The neo4j service (docker/start-neo4j.sh) then takes the jars its image lacks.
set -eu
RECIPE="${RECIPE:-/recipe/pom.xml}"
EXTRAS="${EXTRAS:-/extras}"
JARS="${JARS:-/jars}"
build=$(mktemp -d)
cp "$RECIPE" "$build/pom.xml"
(cd "$build" && mvn -B -q package -Dillnet.stage="$build/stage" -Dillnet.prependGroupId=false)
mkdir -p "$build/content/browser/illnet"
cp "$EXTRAS/guide.html" "$EXTRAS/illnet.grass" "$build/content/browser/illnet/"
browser=$(ls "$build"/stage/neo4j-browser-*.jar)
mv "$browser" "$build/stage/illnet-browser.jar"
(cd "$build/content" && jar uf "$build/stage/illnet-browser.jar" browser/illnet/guide.html browser/illnet/illnet.grass)
rm -f "$JARS"/*.jar
cp "$build"/stage/*.jar "$JARS"/
rm -rf "$build"
echo "resolved $(ls "$JARS" | wc -l) jars into $JARS"
