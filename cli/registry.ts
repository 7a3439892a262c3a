import type { Options } from 'yargs';
import { envFileFlag, envFileVariable } from '../lib/config/env-file-names.js';
import { loadConfig, type Config, type Overrides } from '../lib/config/load.js';
import type { TaskContext, TaskRunner } from '../lib/core/context.js';
import {
  booleanFlag,
  choiceFlag,
  flagSet,
  listFlag,
  optionalString,
  requiredString,
  stringWithDefault,
  type Flag,
  type RawArgs,
} from './flags.js';
import type { FlagRules } from './flag-rules.js';
import { overridesFrom } from './setting-flags.js';

/** What a task module exports: its run, typed by its own options. */
interface TaskModule<O> {
  run: (options: O, ctx: TaskContext) => Promise<number>;
}

/** What a task's options are built from besides its own flags: the settings given as flags, and the validated configuration. */
interface Settings {
  overrides: Overrides;
  /** Validates every setting (flag > environment > .env or the --env-file file > default); throws the bad-input error listing all problems. */
  config: () => Config;
  /** Runs another task as its command line would, for a task that composes others (the sandbox rehearsal). */
  runTask: TaskRunner;
}

/** One task, typed end to end: its flags are read into its options, which its module's run takes. */
interface TaskDefinition<O> {
  describe: string;
  flags: ReadonlyArray<Flag<unknown>>;
  /** Flags (its own, global or settings) with no meaning together, or that need another: bad input (64) before anything runs. */
  rules?: FlagRules;
  options: (args: RawArgs, settings: Settings) => O;
  /** Imported only when the task runs, so --help stays fast. */
  load: () => Promise<TaskModule<O>>;
}

/** What the CLI keeps of a task: the help text, the flags yargs parses, and how to start it. */
export interface TaskEntry {
  describe: string;
  flags: Record<string, Options>;
  rules: FlagRules;
  /** `runTask` starts another task through the CLI's parser (cli/parser.ts), for a task that composes others. */
  start: (args: RawArgs, ctx: TaskContext, runTask: TaskRunner) => Promise<number>;
}

export function task<O>(definition: TaskDefinition<O>): TaskEntry {
  return {
    describe: definition.describe,
    flags: flagSet(...definition.flags),
    rules: definition.rules ?? {},
    start: async (args, ctx, runTask) => {
      const overrides = overridesFrom(args);
      // The options first: a bad setting is reported before the task's code is even loaded.
      const options = definition.options(args, { overrides, config: () => loadConfig(overrides, ctx.env), runTask });
      const module = await definition.load();
      return module.run(options, ctx);
    },
  };
}

/** The flags every task takes besides the settings. */
export const globalFlags: Record<string, Options> = flagSet(
  booleanFlag('verbose', 'Show each command run (secrets redacted)'),
  booleanFlag('quiet', 'Only errors and requested data'),
  booleanFlag('color', 'Colour output (--no-color; NO_COLOR also turns it off)', true),
  optionalString(
    envFileFlag,
    `Read the settings from this file instead of the project's .env, e.g. .env.prod (relative to the folder npm was run in) [env: ${envFileVariable}]`,
  ),
);

/** What the global flags rule out for every task. */
export const globalRules: FlagRules = { conflicts: [['quiet', 'verbose']] };

/** --all is every unit: a unit named besides it (--unit, or DEPLOY_UNIT in the environment) would be ignored. */
const oneOrAll: ReadonlyArray<readonly [string, string]> = [['all', 'unit']];

const yes = booleanFlag('yes', 'Approve without asking (for automation)');
const all = booleanFlag('all', 'Every unit under the Terragrunt root, in dependency order (--unit picks one)');
const detailedExitCode = booleanFlag('detailed-exitcode', 'Exit 2 when the plan has changes, 0 when none (drift checks)');
const lock = booleanFlag(
  'lock',
  'Take the state lock and save the plan (--no-lock: -lock=false for a read-only role; no plan is saved, so none made without the lock is ever applied)',
  true,
);
const format = choiceFlag('format', 'text, json, env (dotenv lines) or github ($GITHUB_OUTPUT)', ['text', 'json', 'env', 'github'], 'text');
const json = booleanFlag('json', 'Same as --format json');
const doctorJson = booleanFlag('json', 'Machine-readable report on stdout');
const strict = booleanFlag('strict', 'Warnings fail too');
const savedPlansOnly = booleanFlag(
  'saved-plans-only',
  'With --all (CI after review): refuse a unit whose saved plan is missing or stale, or whose plan made again after a dependency differs',
);
const driftJson = booleanFlag('json', 'The per-unit report as JSON on stdout ({ units: [{ unit, status, changes }] })');
const githubOutput = optionalString(
  'github-output',
  'Also write the JSON report to $GITHUB_OUTPUT as this output, e.g. report (GitHub Actions)',
);
const failOnDrift = booleanFlag(
  'fail-on-drift',
  'Exit 2 when a unit drifted or is unapplied (--no-fail-on-drift: exit 0 then, so a CI step still fails only on a failure)',
  true,
);
const planSummary = choiceFlag(
  'summary',
  'With --all, github: the per-unit table as Markdown into $GITHUB_STEP_SUMMARY, and the outputs summary and exit-code (0 no changes, 2 changes, else failed) into $GITHUB_OUTPUT',
  ['none', 'github'],
  'none',
);
const outFile = optionalString(
  'out-file',
  'Write the outputs to this file instead of stdout, replacing it whole (relative to the folder npm was run in)',
);
const lockId = requiredString('lock-id', 'ID from the Lock Info terraform printed');
const address = stringWithDefault('address', 'Terraform resource address in the module', 'aws_ecrpublic_repository.this');
const only = listFlag('only', 'Only these tools (terraform terragrunt aws-provider tflint tflint-ruleset-aws actionlint checkov moto)');
const lintOnly = listFlag(
  'only',
  'Only these checks (eslint prettier knip depcruise terraform-fmt terragrunt-fmt terragrunt-validate terraform-validate tflint checkov actionlint)',
);
const keep = booleanFlag('keep', 'Leave the sandbox running and print how to point the tasks at it');
const faults = optionalString(
  'faults',
  'Inject AWS failures, e.g. s3-lag=3,ecr-lag=2,throttle=4,expire=40 (see the sandbox section of the README)',
);

/** One entry per task, in the order the help lists them. */
export const tasks: Record<string, TaskEntry> = {
  init: task({
    describe: 'Create and harden the state bucket, then terragrunt init',
    flags: [],
    options: (_a, s) => ({ config: s.config() }),
    load: () => import('../tasks/init.js'),
  }),
  plan: task({
    describe: 'Plan into a file next to the unit',
    flags: [detailedExitCode, all, planSummary, lock],
    rules: { conflicts: oneOrAll },
    options: (a, s) => ({
      config: s.config(),
      detailedExitCode: detailedExitCode.read(a),
      all: all.read(a),
      summary: planSummary.read(a),
      lock: lock.read(a),
    }),
    load: () => import('../tasks/plan.js'),
  }),
  apply: task({
    describe: 'Apply the saved plan (or plan, show and confirm), then verify in ECR Public',
    flags: [yes, all, savedPlansOnly],
    // Without --all, --saved-plans-only would be ignored and a fresh, unreviewed plan applied.
    rules: { conflicts: oneOrAll, implies: [['saved-plans-only', 'all']] },
    options: (a, s) => ({ config: s.config(), yes: yes.read(a), all: all.read(a), savedPlansOnly: savedPlansOnly.read(a) }),
    load: () => import('../tasks/apply.js'),
  }),
  destroy: task({
    describe: 'Destroy the unit resources after typing the repository name (state bucket kept)',
    flags: [yes, all],
    rules: { conflicts: oneOrAll },
    options: (a, s) => ({ config: s.config(), yes: yes.read(a), all: all.read(a) }),
    load: () => import('../tasks/destroy.js'),
  }),
  output: task({
    describe: 'Print ALIAS, ACCOUNT_ID, REPOSITORY_NAME, REPOSITORY_ARN, REPOSITORY_URI (--all: every unit, and ROLE_ARN)',
    flags: [format, json, all, outFile],
    // --json is --format json: beside another --format it has no meaning.
    rules: { conflicts: [...oneOrAll, ['json', 'format']] },
    options: (a, s) => ({ config: s.config(), format: json.read(a) ? 'json' : format.read(a), all: all.read(a), outFile: outFile.read(a) }),
    load: () => import('../tasks/output.js'),
  }),
  doctor: task({
    describe: 'Check tools, configuration, credentials, bucket, lock and ECR Public; print the fix for each problem',
    flags: [doctorJson, strict, all],
    rules: { conflicts: oneOrAll },
    // doctor validates the settings itself, so an invalid one is a check, not a crash.
    options: (a, s) => ({ overrides: s.overrides, json: doctorJson.read(a), strict: strict.read(a), all: all.read(a) }),
    load: () => import('../tasks/doctor.js'),
  }),
  drift: task({
    describe:
      'Plan every unit read-only: in sync (0), drifted outside Terraform or unapplied (2, or 0 with --no-fail-on-drift), failure (1)',
    flags: [driftJson, githubOutput, failOnDrift],
    options: (a, s) => ({
      config: s.config(),
      json: driftJson.read(a),
      githubOutput: githubOutput.read(a),
      failOnDrift: failOnDrift.read(a),
    }),
    load: () => import('../tasks/drift.js'),
  }),
  unlock: task({
    describe: 'Release a stale state lock (only when the run holding it is dead)',
    flags: [lockId, yes],
    options: (a, s) => ({ config: s.config(), lockId: lockId.read(a), yes: yes.read(a) }),
    load: () => import('../tasks/unlock.js'),
  }),
  import: task({
    describe: 'Adopt an existing ECR Public repository into the unit state',
    flags: [address],
    options: (a, s) => ({ config: s.config(), address: address.read(a) }),
    load: () => import('../tasks/import.js'),
  }),
  tools: task({
    describe: 'Make the pinned terraform, terragrunt, AWS provider, tflint, actionlint, checkov and moto available',
    flags: [only],
    options: (a, s) => ({ only: only.read(a), overrides: s.overrides }),
    load: () => import('../tasks/tools.js'),
  }),
  clean: task({
    describe: 'Remove .terragrunt-cache and .terraform folders under platform/infra (never the one your shell is in)',
    flags: [],
    options: (_a, s) => ({ config: s.config() }),
    load: () => import('../tasks/clean.js'),
  }),
  lint: task({
    describe:
      'ESLint, Prettier, knip, dependency-cruiser, terraform fmt/validate, terragrunt hcl fmt/validate, tflint (AWS ruleset), checkov, actionlint',
    flags: [lintOnly],
    options: (a, s) => ({ overrides: s.overrides, only: lintOnly.read(a) }),
    load: () => import('../tasks/lint.js'),
  }),
  format: task({
    describe: 'Rewrite TypeScript (Prettier) and HCL (terraform fmt, terragrunt hcl fmt)',
    flags: [],
    options: (_a, s) => ({ overrides: s.overrides }),
    load: () => import('../tasks/format.js'),
  }),
  sandbox: task({
    describe: 'Rehearse the whole deployment against a local AWS (moto + ECR Public server)',
    flags: [keep, faults],
    options: (a, s) => ({ keep: keep.read(a), faults: faults.read(a), overrides: s.overrides, runTask: s.runTask }),
    load: () => import('../tasks/sandbox.js'),
  }),
};
