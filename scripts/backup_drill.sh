#!/usr/bin/env bash
# Backup and restore drill (docs/deploy.md, "Backup"):
#   1. pg_dump -Fc of the source database into BACKUP_DIR,
#   2. pg_restore into a fresh database,
#   3. compare the exact row count of every table and checksums of the key tables,
#   4. drop the restored copy (KEEP_RESTORED=1 keeps it) and keep the dump.
# Exit 0 only when everything is equal.
#
# usage: scripts/backup_drill.sh postgres://user@host:5432/dbname [BACKUP_DIR]
# env:   CHECKSUM_TABLES (space-separated; default: the tree, compounds, members, meetings,
#        audit trail, users), KEEP_RESTORED=1
set -euo pipefail

src_url="${1:?usage: backup_drill.sh SOURCE_DATABASE_URL [BACKUP_DIR]}"
backup_dir="${2:-./backups}"
src_db="${src_url##*/}"
server_url="${src_url%/*}"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
restore_db="${src_db}_drill_$(date -u +%s)_$$"
restore_url="${server_url}/${restore_db}"
dump="${backup_dir}/${src_db}-${stamp}.dump"
checksum_tables="${CHECKSUM_TABLES:-organizations_organization organizations_compound members_member members_meeting members_attendance organizations_auditentry auth_user}"

mkdir -p "$backup_dir"
cleanup() {
  if [ "${KEEP_RESTORED:-0}" != "1" ]; then
    psql -q -d "${server_url}/postgres" -c "DROP DATABASE IF EXISTS \"${restore_db}\"" >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

echo "== dump ${src_db} -> ${dump}"
pg_dump -Fc --no-owner -d "$src_url" -f "$dump"
echo "   $(du -h "$dump" | cut -f1)"

echo "== restore into ${restore_db}"
psql -q -v ON_ERROR_STOP=1 -d "${server_url}/postgres" -c "CREATE DATABASE \"${restore_db}\""
pg_restore --no-owner --exit-on-error -d "$restore_url" "$dump"

tables_sql="SELECT quote_ident(table_name) FROM information_schema.tables
            WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
counts() {  # one line per table: name count
  local url="$1" table
  for table in $(psql -At -d "$url" -c "$tables_sql"); do
    printf '%s %s\n' "$table" "$(psql -At -d "$url" -c "SELECT count(*) FROM ${table}")"
  done
}
checksum() {  # md5 of every row's text, in primary-key order
  psql -At -d "$1" -c "SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, E'\n' ORDER BY t.id)), '-') FROM $2 AS t"
}

echo "== row counts"
src_counts="$(counts "$src_url")"
dst_counts="$(counts "$restore_url")"
if [ "$src_counts" != "$dst_counts" ]; then
  echo "FAIL: row counts differ"
  diff <(echo "$src_counts") <(echo "$dst_counts") || true
  exit 1
fi
echo "   $(echo "$src_counts" | wc -l) tables, $(echo "$src_counts" | awk '{s += $2} END {print s}') rows, all equal"

echo "== checksums"
for table in $checksum_tables; do
  exists="$(psql -At -d "$src_url" -c "SELECT to_regclass('public.${table}') IS NOT NULL")"
  [ "$exists" = "t" ] || { echo "   ${table}: not in this database, skipped"; continue; }
  a="$(checksum "$src_url" "$table")"
  b="$(checksum "$restore_url" "$table")"
  if [ "$a" != "$b" ]; then
    echo "FAIL: ${table} differs (${a} vs ${b})"
    exit 1
  fi
  echo "   ${table}: ${a}"
done

echo "OK: ${dump} restores to an identical database"
