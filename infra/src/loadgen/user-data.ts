/**
 * The load agents' boot script. It installs Node 22 (Amazon Linux 2023's nodejs22 package), then runs a small
 * systemd service that polls the results bucket for `agent/scenario.json` (uploaded by `npm run perf -- fleet`).
 * For each new scenario whose shared start time is still ahead, it fetches `agent/agent.js` and runs
 *   node agent.js --scenario scenario.json --bucket <bucket> --instance <id> --region <region>
 * The agent waits for the start time, runs the load and uploads results/<runId>/<instance>.json itself.
 * Polling (rather than running once at boot) lets the fleet boot before or after the scenario is uploaded,
 * and run several scenarios without being replaced.
 */
export interface UserDataArgs {
  bucket: string;
  region: string;
}

/** Bucket names and regions are plain identifiers; anything else would be pasted into a root shell script. */
function checked(value: string, what: string): string {
  if (!/^[a-z0-9][a-z0-9.-]*$/.test(value))
    throw new Error(`unsafe ${what} for the agent's user data: ${JSON.stringify(value)}`);
  return value;
}

export function agentUserData(args: UserDataArgs): string {
  const bucket = checked(args.bucket, "bucket name");
  const region = checked(args.region, "region");
  return `#!/bin/bash
set -euo pipefail
dnf install -y nodejs22
mkdir -p /opt/flash-sale

cat > /opt/flash-sale/run-agent.sh <<'SCRIPT'
#!/bin/bash
set -uo pipefail
BUCKET=${bucket}
REGION=${region}
cd /opt/flash-sale
# IMDSv2 only: a session token first, then the instance id.
TOKEN=$(curl -sS -X PUT http://169.254.169.254/latest/api/token -H "X-aws-ec2-metadata-token-ttl-seconds: 300")
INSTANCE=$(curl -sS -H "X-aws-ec2-metadata-token: $TOKEN" http://169.254.169.254/latest/meta-data/instance-id)
touch last-scenario
while true; do
  if aws s3 cp --quiet --region "$REGION" "s3://$BUCKET/agent/scenario.json" scenario.next.json 2>/dev/null; then
    digest=$(sha256sum scenario.next.json | cut -d' ' -f1)
    if [ "$digest" != "$(cat last-scenario)" ]; then
      echo "$digest" > last-scenario
      mv scenario.next.json scenario.json
      if node-22 -e 'const s = JSON.parse(require("fs").readFileSync("scenario.json", "utf8")); process.exit(s.startAt > Date.now() ? 0 : 1)'; then
        aws s3 cp --quiet --region "$REGION" "s3://$BUCKET/agent/agent.js" agent.js
        node-22 agent.js --scenario scenario.json --bucket "$BUCKET" --instance "$INSTANCE" --region "$REGION" || echo "agent exited with status $?"
      else
        echo "scenario $digest starts in the past (or is unreadable); waiting for a new one"
      fi
    fi
  fi
  sleep 5
done
SCRIPT
chmod 755 /opt/flash-sale/run-agent.sh

cat > /etc/systemd/system/flash-sale-agent.service <<'UNIT'
[Unit]
Description=Flash-sale load agent (polls s3://${bucket}/agent/scenario.json)
After=network-online.target
Wants=network-online.target

[Service]
ExecStart=/opt/flash-sale/run-agent.sh
Restart=always
RestartSec=5
LimitNOFILE=65536

[Install]
WantedBy=multi-user.target
UNIT
systemctl daemon-reload
systemctl enable --now flash-sale-agent.service
`;
}
