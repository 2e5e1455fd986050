#!/usr/bin/env bash
# Checks the deployment template (template.yaml), offline and without an AWS account:
#  1. cfn-lint on the template as written;
#  2. `sam validate --lint`;
#  3. the template translated to plain CloudFormation by the SAM translator that `sam deploy`
#     uses, then cfn-lint on the result. Only this step sees the resources SAM generates (roles,
#     permissions, the bucket's notification, the API document), so only it catches, for
#     example, a circular dependency between the photo bucket and the enroll function.
# The tools are installed once, at pinned versions, into a Python venv under the build cache
# (${LINTAS_CACHE:-~/.cache/lintas}/venv-deploy); changing a pin reinstalls them.
# Exits non-zero on any error or warning.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

CFN_LINT_VERSION=1.58.0
SAM_CLI_VERSION=1.170.0 # brings aws-sam-translator 1.115.0
PINS="cfn-lint==$CFN_LINT_VERSION aws-sam-cli==$SAM_CLI_VERSION"

venv=${LINTAS_CACHE:-$HOME/.cache/lintas}/venv-deploy
stamp=$venv/lintas-pins
if [ ! -x "$venv/bin/sam" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$PINS" ]; then
    echo "== installing $PINS into $venv"
    rm -rf "$venv"
    python3 -m venv "$venv"
    # shellcheck disable=SC2086 # PINS is a list of requirements
    "$venv/bin/pip" install --quiet --disable-pip-version-check $PINS
    echo "$PINS" >"$stamp"
fi

# The tools need a region, not credentials; the stack's home region is Jakarta.
export AWS_DEFAULT_REGION=${AWS_DEFAULT_REGION:-${AWS_REGION:-ap-southeast-3}}
export SAM_CLI_TELEMETRY=0
lint() { "$venv/bin/cfn-lint" --regions "$AWS_DEFAULT_REGION" --non-zero-exit-code warning -- "$@"; }

echo "== cfn-lint $CFN_LINT_VERSION ($AWS_DEFAULT_REGION)"
lint template.yaml

echo "== sam validate --lint (aws-sam-cli $SAM_CLI_VERSION)"
"$venv/bin/sam" validate --lint --template template.yaml

echo "== SAM translation, then cfn-lint on the generated CloudFormation"
translated=$(mktemp --suffix=.json)
trap 'rm -f "$translated"' EXIT
"$venv/bin/python" - template.yaml >"$translated" <<'PY'
import json
import sys

from samcli.yamlhelper import yaml_parse
from samtranslator.public.exceptions import InvalidDocumentException
from samtranslator.translator.transform import transform


class NoManagedPolicies:
    """Managed policies are looked up in IAM, which needs an account: the template uses none."""

    def load(self):
        return {}


with open(sys.argv[1]) as f:
    template = yaml_parse(f.read())
# Local code paths are uploaded to S3 by `sam deploy`; the translator accepts only S3 URIs.
for resource in template.get("Resources", {}).values():
    properties = resource.get("Properties") or {}
    for key in ("CodeUri", "ContentUri"):
        if isinstance(properties.get(key), str):
            properties[key] = f"s3://bucket/{key}"
try:
    cloudformation = transform(template, {}, NoManagedPolicies())
except InvalidDocumentException as error:
    for cause in error.causes:
        print(f"SAM translation: {cause.message}", file=sys.stderr)
    sys.exit(1)
json.dump(cloudformation, sys.stdout, indent=1)
PY
lint "$translated"
echo "== template.yaml: no findings"
