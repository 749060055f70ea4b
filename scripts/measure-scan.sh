#!/bin/bash
# Run from anywhere: bash scripts/measure-scan.sh (needs psql, curl, jq, a local PostgreSQL and Redis).
# Measures a 10 MiB-class upload, its download and the audit re-hash on a scratch database.
set -e
cd "$(dirname "$0")/.."
DB=skills_scan_measure
psql -q -U postgres -h 127.0.0.1 -c "DROP DATABASE IF EXISTS $DB" postgres
psql -q -U postgres -h 127.0.0.1 -c "CREATE DATABASE $DB" postgres
export DATABASE_URL=postgres://postgres@127.0.0.1:5432/$DB
export JWT_SECRET=measure-secret-that-is-long-enough-0123456789
export NODE_ENV=development ADMIN_USERNAME=admin ADMIN_PASSWORD=admin-password-1 PORT=3915 FAKE_NOW=2024-03-15T02:00:00Z
export BULLMQ_PREFIX=scan-measure LOG_LEVEL=warn
npm run -s build
node dist/apps/cli/src/main.js migrate >/dev/null
node dist/apps/api/src/main.js > /tmp/measure15-api.log 2>&1 &
API=$!
trap "kill $API" EXIT
for i in $(seq 1 60); do curl -s -o /dev/null http://127.0.0.1:3915/health && break; sleep 1; done
B=http://127.0.0.1:3915/api/v1
login() { curl -s -X POST $B/auth/login -H 'Content-Type: application/json' -d "{\"username\":\"$1\",\"password\":\"$2\"}" | jq -r .accessToken; }
A=$(login admin admin-password-1)
curl -s -o /dev/null -X PUT $B/plans/2024 -H "Authorization: Bearer $A" -H 'Content-Type: text/csv' --data-binary @data/plans/2024.csv
for u in filler leader; do curl -s -o /dev/null -X POST $B/users -H "Authorization: Bearer $A" -H 'Content-Type: application/json' -d "{\"username\":\"u01-$u\",\"password\":\"u01-$u-password\",\"displayName\":\"$u\",\"role\":\"$u\",\"unitCode\":\"U01\"}"; done
F=$(login u01-filler u01-filler-password); L=$(login u01-leader u01-leader-password)
R=$B/units/U01/reports/2024-03
curl -s -o /dev/null -X PUT $R -H "Authorization: Bearer $F" -H 'If-Match: "0"' -H 'Content-Type: application/json' -d '{"figures":{"training":800,"certified":600,"advanced":320,"onePlusX":110}}'
curl -s -o /dev/null -X POST $R/signatures -H "Authorization: Bearer $F" -H 'If-Match: "1"' -H 'Content-Type: application/json' -d '{"name":"张三","phone":"0371-69691788"}'
curl -s -o /dev/null -X POST $R/signatures -H "Authorization: Bearer $L" -H 'If-Match: "2"' -H 'Content-Type: application/json' -d '{"name":"李四"}'
# A 9.9 MiB PDF: the test fixture padded with a comment block before its end marker.
node -e "
const fs=require('fs'); const pdf=fs.readFileSync('test/scans/fixtures/form.pdf','latin1');
const pad='%'+'x'.repeat(98)+'\n'; const body=pdf.replace('%%EOF', pad.repeat(Math.floor((9.9*1024*1024)/pad.length))+'%%EOF');
fs.writeFileSync('/tmp/measure15.pdf', body, 'latin1');"
ls -l /tmp/measure15.pdf | awk '{print "file bytes:", $5}'
for i in 1 2 3; do
  curl -s -o /tmp/measure15.up -w "upload %{http_code} %{time_total}s\n" -X PUT $R/scan -H "Authorization: Bearer $F" -H 'Content-Type: application/pdf' --data-binary @/tmp/measure15.pdf
  # make the next upload a different file (a replacement), so each one records an event
  printf '%%more\n%%%%EOF\n' >> /tmp/measure15.pdf
done
for i in 1 2 3; do curl -s -o /tmp/measure15.down -w "download %{http_code} %{time_total}s\n" $R/scan -H "Authorization: Bearer $A"; done
for i in 1 2 3; do curl -s -o /tmp/measure15.ver -w "verification %{http_code} %{time_total}s\n" -X POST $B/audit/verifications -H "Authorization: Bearer $A"; done
jq -c '{ok, scans}' /tmp/measure15.ver
curl -s -o /dev/null -w "oversized %{http_code} %{time_total}s\n" -X PUT $R/scan -H "Authorization: Bearer $F" -H 'Content-Type: application/pdf' --data-binary @<(head -c 10485761 /dev/zero)
uptime
psql -q -U postgres -h 127.0.0.1 -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" postgres 2>/dev/null || true
