import { overridesFrom, type FlagOptions } from '../lib/config/flags.js';
import type { Config } from '../lib/config/load.js';
import type { TaskContext } from '../lib/context.js';

/** What the CLI knows about a task before loading it: help text, its own flags, and how to build its options. */
export interface TaskEntry {
  describe: string;
  /** Whether the task needs the validated configuration (tools/lint/format do not touch AWS). */
  needsConfig: boolean;
  flags: Record<string, FlagOptions>;
  load: () => Promise<{ run: (opts: never, ctx: TaskContext) => Promise<number> }>;
  options: (args: Record<string, unknown>, config: Config | undefined, color: boolean) => unknown;
}

/** The flags every task takes besides the settings. */
export const globalFlags: Record<string, FlagOptions> = {
  verbose: { type: 'boolean', default: false, describe: 'Show each command run (secrets redacted)' },
  quiet: { type: 'boolean', default: false, describe: 'Only errors and requested data' },
  color: { type: 'boolean', default: true, describe: 'Colour output (--no-color; NO_COLOR also turns it off)' },
};

const yes: FlagOptions = { type: 'boolean', default: false, describe: 'Approve without asking (for automation)' };

function need(config: Config | undefined): Config {
  if (!config) throw new Error('bug: task needs configuration but none was loaded');
  return config;
}

/** One entry per task; each module is imported only when its task runs, so --help stays fast. */
export const tasks: Record<string, TaskEntry> = {
  init: {
    describe: 'Create and harden the state bucket, then terragrunt init',
    needsConfig: true,
    flags: {},
    load: () => import('./init.js'),
    options: (_a, c, color) => ({ config: need(c), color }),
  },
  plan: {
    describe: 'Plan into a file next to the unit',
    needsConfig: true,
    flags: {
      'detailed-exitcode': { type: 'boolean', default: false, describe: 'Exit 2 when the plan has changes, 0 when none (drift checks)' },
    },
    load: () => import('./plan.js'),
    options: (a, c, color) => ({ config: need(c), color, detailedExitCode: a['detailed-exitcode'] === true }),
  },
  apply: {
    describe: 'Apply the saved plan (or plan, show and confirm), then verify in ECR Public',
    needsConfig: true,
    flags: { yes },
    load: () => import('./apply.js'),
    options: (a, c, color) => ({ config: need(c), color, yes: a.yes === true }),
  },
  destroy: {
    describe: 'Destroy the unit resources after typing the repository name (state bucket kept)',
    needsConfig: true,
    flags: { yes },
    load: () => import('./destroy.js'),
    options: (a, c, color) => ({ config: need(c), color, yes: a.yes === true }),
  },
  output: {
    describe: 'Print ALIAS, ACCOUNT_ID, REPOSITORY_NAME, REPOSITORY_ARN, REPOSITORY_URI',
    needsConfig: true,
    flags: {
      format: {
        choices: ['text', 'json', 'env', 'github'],
        default: 'text',
        describe: 'text, json, env (dotenv lines) or github ($GITHUB_OUTPUT)',
      },
      json: { type: 'boolean', default: false, describe: 'Same as --format json' },
    },
    load: () => import('./output.js'),
    options: (a, c, color) => ({ config: need(c), color, format: a.json === true ? 'json' : a.format }),
  },
  doctor: {
    describe: 'Check tools, configuration, credentials, bucket, lock and ECR Public; print the fix for each problem',
    needsConfig: false,
    flags: {
      json: { type: 'boolean', default: false, describe: 'Machine-readable report on stdout' },
      strict: { type: 'boolean', default: false, describe: 'Warnings fail too' },
    },
    load: () => import('./doctor.js'),
    options: (a, _c, color) => ({ overrides: overridesFrom(a), color, json: a.json === true, strict: a.strict === true }),
  },
  unlock: {
    describe: 'Release a stale state lock (only when the run holding it is dead)',
    needsConfig: true,
    flags: { 'lock-id': { type: 'string', demandOption: true, describe: 'ID from the Lock Info terraform printed' }, yes },
    load: () => import('./unlock.js'),
    options: (a, c, color) => ({ config: need(c), color, lockId: String(a['lock-id']), yes: a.yes === true }),
  },
  import: {
    describe: 'Adopt an existing ECR Public repository into the unit state',
    needsConfig: true,
    flags: { address: { type: 'string', default: 'aws_ecrpublic_repository.this', describe: 'Terraform resource address in the module' } },
    load: () => import('./import.js'),
    options: (a, c, color) => ({ config: need(c), color, address: String(a.address) }),
  },
  tools: {
    describe: 'Make the pinned terraform, terragrunt, AWS provider, tflint, checkov and moto available',
    needsConfig: false,
    flags: {
      only: {
        type: 'array',
        describe: 'Only these tools (terraform terragrunt aws-provider tflint tflint-ruleset-aws checkov moto)',
      },
    },
    load: () => import('./tools.js'),
    options: (a, _c, color) => ({ only: a.only as string[] | undefined, color }),
  },
  clean: {
    describe: 'Remove .terragrunt-cache and .terraform folders under platform/infra (never the one your shell is in)',
    needsConfig: true,
    flags: {},
    load: () => import('./clean.js'),
    options: (_a, c) => ({ shellDir: process.env.INIT_CWD ?? process.cwd(), config: need(c) }),
  },
  lint: {
    describe: 'ESLint, Prettier, terraform fmt/validate, terragrunt hcl fmt/validate, tflint (AWS ruleset), checkov',
    needsConfig: false,
    flags: {},
    load: () => import('./lint.js'),
    options: (a, _c, color) => ({ color, overrides: overridesFrom(a) }),
  },
  format: {
    describe: 'Rewrite TypeScript (Prettier) and HCL (terraform fmt, terragrunt hcl fmt)',
    needsConfig: false,
    flags: {},
    load: () => import('./format.js'),
    options: (_a, _c, color) => ({ color }),
  },
  sandbox: {
    describe: 'Rehearse the whole deployment against a local AWS (moto + ECR Public server)',
    needsConfig: false,
    flags: {
      keep: { type: 'boolean', default: false, describe: 'Leave the sandbox running and print how to point the tasks at it' },
      faults: {
        type: 'string',
        describe: 'Inject AWS failures, e.g. s3-lag=3,ecr-lag=2,throttle=4,expire=40 (see the sandbox section of the README)',
      },
    },
    load: () => import('./sandbox.js'),
    options: (a) => ({ keep: a.keep === true, faults: typeof a.faults === 'string' ? a.faults : undefined, overrides: overridesFrom(a) }),
  },
};
