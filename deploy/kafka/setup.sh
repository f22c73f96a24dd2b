#!/bin/sh
# One-shot set-up of the market's Kafka (docker-compose.yml, service `kafka-setup`): the
# topics, one SCRAM user per service, and ACLs so that each service writes only its own
# topic (and the dead-letter topics of what it consumes) and reads only what it consumes.
# Runs as the broker's `admin` (SASL/PLAIN, a super user); idempotent, safe to run again.
set -eu

BOOTSTRAP=${BOOTSTRAP:-kafka:9092}
PARTITIONS=${TOPIC_PARTITIONS:-4}
BIN=/opt/kafka/bin
ADMIN=/tmp/admin.properties
cat > "$ADMIN" <<PROPERTIES
security.protocol=SASL_PLAINTEXT
sasl.mechanism=PLAIN
sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="$KAFKA_ADMIN_PASSWORD";
PROPERTIES

# service | the topic it publishes | the topics it consumes | its consumer group(s)
# (matching's replicas use the groups matching, matching-2, ...: a prefixed ACL)
GRANTS="listings|listings.events|deals.events|listings
matching|matching.events|listings.events|matching*
deals|deals.events|listings.events|deals
vouchers|vouchers.events|listings.events,deals.events|vouchers"

TOPICS="listings.events matching.events deals.events vouchers.events"

acl() { "$BIN/kafka-acls.sh" --bootstrap-server "$BOOTSTRAP" --command-config "$ADMIN" --add "$@"; }

until "$BIN/kafka-topics.sh" --bootstrap-server "$BOOTSTRAP" --command-config "$ADMIN" --list >/dev/null; do
  echo "waiting for the broker"; sleep 2
done

for topic in $TOPICS; do
  for name in "$topic" "$topic.dlq"; do
    "$BIN/kafka-topics.sh" --bootstrap-server "$BOOTSTRAP" --command-config "$ADMIN" \
      --create --if-not-exists --topic "$name" --partitions "$PARTITIONS" --replication-factor 1
  done
done

echo "$GRANTS" | while IFS='|' read -r service publishes consumes group; do
  user="User:$service"
  password=$(printenv "KAFKA_PASSWORD_$(echo "$service" | tr a-z A-Z)")
  "$BIN/kafka-configs.sh" --bootstrap-server "$BOOTSTRAP" --command-config "$ADMIN" --alter \
    --add-config "SCRAM-SHA-512=[password=$password]" --entity-type users --entity-name "$service"
  # Its own topic: write. A service's startup lists the topics (describe on all of them).
  acl --allow-principal "$user" --operation Write --topic "$publishes"
  for topic in $TOPICS; do
    acl --allow-principal "$user" --operation Describe --topic "$topic" --topic "$topic.dlq"
  done
  for topic in $(echo "$consumes" | tr , ' '); do
    acl --allow-principal "$user" --operation Read --topic "$topic"
    # A record it gives up on goes to <topic>.dlq (shared.inbox.EventConsumer.dead_letter).
    acl --allow-principal "$user" --operation Write --topic "$topic.dlq"
  done
  case "$group" in
    *\*) acl --allow-principal "$user" --operation Read --resource-pattern-type prefixed \
           --group "${group%\*}" ;;
    *) acl --allow-principal "$user" --operation Read --group "$group" ;;
  esac
done
echo "topics, users and ACLs are in place"
