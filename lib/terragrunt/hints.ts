import { printable } from '../core/printable.js';

/**
 * Known terragrunt/terraform failures mapped to the next step, matched against the
 * last lines the child printed. First match wins, so specific entries come first.
 */
interface KnownFailure {
  pattern: RegExp;
  hint: (output: string) => string;
}

function lockHolder(output: string): string {
  const id = /\bID:\s+(\S+)/.exec(output)?.[1];
  // Terraform prints the lock's fields as their writer put them.
  const who = printable(/\bWho:\s+(.+)/.exec(output)?.[1]?.trim() ?? '');
  const created = printable(/\bCreated:\s+(.+)/.exec(output)?.[1]?.trim() ?? '');
  const holder = who ? ` held by ${who}${created ? ` since ${created}` : ''}` : '';
  const unlock = id ? `npm run unlock -- --lock-id ${id}` : 'npm run unlock -- --lock-id <ID from the Lock Info above>';
  return `The state lock is${holder}. Wait for that run to finish and try again; only if it is dead, release it with: ${unlock}`;
}

/** An expired session also stops terraform releasing its lock: say how to find and release it once logged in again. */
function expiredSession(output: string): string {
  const login = 'The AWS session expired: run aws sso login --profile <profile>, then retry.';
  if (!/Error releasing the state lock/i.test(output)) return login;
  return `${login} Terraform could not release its state lock: after logging in, npm run doctor shows its ID, and npm run unlock -- --lock-id <ID> releases it (it checks that the run is dead).`;
}

const knownFailures: readonly KnownFailure[] = [
  {
    pattern: /Error acquiring the state lock|ConditionalRequestConflict|lock file .* already exists|PreconditionFailed/i,
    hint: lockHolder,
  },
  {
    pattern: /ExpiredToken|security token included in the request is expired|token has expired|SSO session .*expired/i,
    hint: expiredSession,
  },
  {
    pattern: /NoSuchBucket|bucket does not exist/i,
    hint: () => 'The state bucket is missing: run npm run init (it creates and hardens the bucket).',
  },
  {
    pattern: /Saved plan is stale/i,
    hint: () => 'The state changed since the plan was made: run npm run plan, review it, then npm run apply.',
  },
  {
    pattern:
      /Backend initialization required|Module not installed|Required plugins are not installed|please run "terraform init"|Inconsistent dependency lock file/i,
    hint: () => 'The unit is not initialised for this configuration: run npm run init.',
  },
  {
    pattern: /doesn't match any of the checksums previously recorded in the dependency lock file/i,
    hint: () =>
      'The AWS provider terraform found is not the registry release the committed lock file names (a local build, or another mirror): unset TOOLS_PROVIDER_MIRROR and any TF_CLI_CONFIG_FILE that points terraform at a mirror, then run npm run init.',
  },
  {
    pattern: /Failed to query available provider packages|Failed to install provider|could not connect to registry/i,
    hint: () =>
      'Terraform could not get the AWS provider from its registry: check network access to registry.terraform.io and releases.hashicorp.com (or the provider_installation of your CLI config), then run npm run init.',
  },
  {
    pattern: /AccessDenied|AccessDeniedException|not authorized to perform|status code: 403|StatusCode: 403/i,
    hint: () =>
      "AWS denied a call: CI's plan role writes nothing, not even the state lock (plan with --no-lock; apply is the apply role's); the CI roles' permissions are in platform/infra/terraform-modules/github-actions-ci-roles/policies.tf, an operator's in platform/infra/README.md. Check DEPLOY_EXPECTED_ACCOUNT_ID, then run npm run doctor.",
  },
  {
    pattern: /RepositoryNotEmptyException/i,
    hint: () =>
      'The repository still holds images: delete them first, or set force_destroy = true in the unit inputs if losing them is intended.',
  },
  {
    pattern: /Invalid value for variable|Invalid value for input variable/i,
    hint: () => 'An input in the unit terragrunt.hcl breaks the module validation shown above: correct it and run npm run plan.',
  },
  {
    pattern: /executable file not found|no such file or directory.*terraform|Could not find terraform/i,
    hint: () => 'terraform is not where the tasks looked: install it with asdf install (.tool-versions), or set DEPLOY_TERRAFORM_PATH.',
  },
  {
    pattern: /ECONNREFUSED|connection refused|dial tcp|no such host|i\/o timeout/i,
    hint: () => 'An endpoint is unreachable: check the network (or that the sandbox is running), then run npm run doctor.',
  },
];

export function hintFor(output: string): string | undefined {
  return knownFailures.find((k) => k.pattern.test(output))?.hint(output);
}
