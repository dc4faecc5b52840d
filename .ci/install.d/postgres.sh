#!/usr/bin/env bash
# PostgreSQL for the history-store tests: Debian's packages, one cluster on
# 127.0.0.1:5432, a role and a database for the tests. Prints the URL the tests
# read from SQS_TEST_POSTGRES_URL (this is also their default).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
PORT=5432
DB=sqs_test
ROLE=sqs_test
PASSWORD=sqs_test

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
fi

VERSION=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$VERSION main"; then
  pg_createcluster "$VERSION" main --port "$PORT" >/dev/null
fi
CONF=/etc/postgresql/$VERSION/main/postgresql.conf
sed -i "s/^#\?listen_addresses.*/listen_addresses = '127.0.0.1'/" "$CONF"
sed -i "s/^#\?port = .*/port = $PORT/" "$CONF"
if ! pg_lsclusters -h | grep -q "^$VERSION *main .*online"; then
  pg_ctlcluster "$VERSION" main start
fi
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p "$PORT" && break
  sleep 1
done
pg_isready -h 127.0.0.1 -p "$PORT"

su postgres -c "psql -q -p $PORT -v ON_ERROR_STOP=1" <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') THEN
    CREATE ROLE $ROLE LOGIN PASSWORD '$PASSWORD';
  END IF;
END
\$\$;
SQL
if ! su postgres -c "psql -p $PORT -tAc \"SELECT 1 FROM pg_database WHERE datname = '$DB'\"" | grep -q 1; then
  su postgres -c "createdb -p $PORT -O $ROLE $DB"
fi
echo "PostgreSQL ready: SQS_TEST_POSTGRES_URL=postgresql+psycopg://$ROLE:$PASSWORD@127.0.0.1:$PORT/$DB"
