#!/usr/bin/env bash
# Offline checks of the Terraform code, for CI (no provider download, no cloud access):
#   1. terraform fmt -check -recursive (skipped, with a message, when terraform is not installed);
#   2. every .tf parses as HCL (@cdktf/hcl2json, installed into terraform/.tools on first use);
#   3. the parameters the Scheduler job sends are options the launcher accepts: the keys of
#      local.launcher_parameters against launcher/flex-template/metadata.json, which
#      FlexTemplateMetadataTest ties to MigrateOptions; and the examples call the module with
#      variables it declares.
# Usage: bash terraform/check.sh   (from anywhere; exits non-zero on the first failed check)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"

HCL2JSON_VERSION=0.21.0
TERRAFORM="${TERRAFORM:-/usr/local/bin/terraform}"

if [[ -x "$TERRAFORM" ]]; then
  if ! TF_CLI_CONFIG_FILE=/dev/null "$TERRAFORM" fmt -check -recursive -diff -no-color .; then
    echo "terraform/check.sh: terraform fmt -check failed: unformatted (run terraform fmt -recursive terraform) or unparsable files" >&2
    exit 1
  fi
  echo "terraform/check.sh: terraform fmt -check: ok"
else
  echo "terraform/check.sh: $TERRAFORM not found: skipping terraform fmt -check"
fi

if ! command -v node >/dev/null; then
  echo "terraform/check.sh: node is needed to parse the HCL (apt-get install nodejs npm)" >&2
  exit 1
fi
if [[ ! -f .tools/node_modules/@cdktf/hcl2json/package.json ]] \
    || ! grep -q "\"version\": \"$HCL2JSON_VERSION\"" .tools/node_modules/@cdktf/hcl2json/package.json; then
  echo "terraform/check.sh: installing @cdktf/hcl2json@$HCL2JSON_VERSION into terraform/.tools"
  npm install --prefix .tools --no-audit --no-fund --loglevel=error "@cdktf/hcl2json@$HCL2JSON_VERSION" >/dev/null
fi

exec node check-terraform.js "$here" "$here/../launcher/flex-template/metadata.json"
