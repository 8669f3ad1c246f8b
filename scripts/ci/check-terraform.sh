#!/usr/bin/env bash
# Checks what the Terraform test needs and cannot install (no registry is reachable from CI):
# a terraform binary (CRONBRIDGE_TERRAFORM or PATH) and the hashicorp/aws provider in a local
# filesystem mirror (CRONBRIDGE_TF_MIRROR, else the usual folders, else a search of /). Fails
# early with what is missing rather than twenty minutes later in the test.
set -euo pipefail

tf="${CRONBRIDGE_TERRAFORM:-terraform}"
if ! out="$("$tf" version 2>/dev/null)"; then
  echo "check-terraform: '$tf' does not run; the Terraform test needs Terraform 1.5+ on PATH" \
    "(or CRONBRIDGE_TERRAFORM naming it)" >&2
  exit 1
fi

mirror="${CRONBRIDGE_TF_MIRROR:-}"
if [[ -z "$mirror" ]]; then
  for candidate in "$HOME/.terraform.d/plugins" /usr/local/share/terraform/plugins \
    /usr/share/terraform/plugins /opt/tf-plugins; do
    if [[ -d "$candidate/registry.terraform.io/hashicorp/aws" ]]; then
      mirror="$candidate"
      break
    fi
  done
fi
if [[ -z "$mirror" ]]; then
  binary="$(find / -xdev -name 'terraform-provider-aws_v*' -path '*registry.terraform.io*' 2>/dev/null | head -1 || true)"
  [[ -n "$binary" ]] && mirror="${binary%%/registry.terraform.io/*}"
fi
if [[ -z "$mirror" || ! -d "$mirror/registry.terraform.io/hashicorp/aws" ]]; then
  echo "check-terraform: no local mirror of registry.terraform.io/hashicorp/aws found;" \
    "set CRONBRIDGE_TF_MIRROR to the folder above registry.terraform.io" >&2
  exit 1
fi
echo "check-terraform: ${out%%$'\n'*}; provider mirror $mirror ($(ls "$mirror/registry.terraform.io/hashicorp/aws" | tr '\n' ' '))"
