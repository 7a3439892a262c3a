import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { joinRules } from '../../cli/flag-rules.js';
import { parseCommandLine } from '../../cli/parser.js';
import { globalFlags, globalRules, tasks } from '../../cli/registry.js';
import { settingOptions } from '../../cli/setting-flags.js';
import { TaskError } from '../../lib/core/errors.js';
import { runCli } from '../support/cli.js';

let home: string;
before(async () => {
  home = await mkdtemp(join(tmpdir(), 'flag-rules-'));
});
after(async () => {
  await rm(home, { recursive: true, force: true });
});

/** No ~/.aws, no credentials, no tools cache: a run that got past its flags stops before changing anything. */
const env = (extra: Record<string, string> = {}): Record<string, string> => ({
  HOME: home,
  TOOLS_CACHE_DIR: join(home, 'tools'),
  AWS_CONFIG_FILE: join(home, 'no-config'),
  AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-credentials'),
  ...extra,
});

const pushRole = 'us-east-1/github-actions-ecr-push';

describe('flags with no meaning together are bad input before anything runs', () => {
  const cases: Array<{ args: string[]; shell?: Record<string, string>; message: RegExp }> = [
    { args: ['destroy', '--all', '--unit', pushRole, '--yes'], message: /--all and --unit cannot be used together/ },
    { args: ['plan', '--all', '--unit', pushRole], message: /--all and --unit cannot be used together/ },
    { args: ['apply', '--all', '--unit', pushRole, '--yes'], message: /--all and --unit cannot be used together/ },
    { args: ['doctor', '--all', '--unit', pushRole], message: /--all and --unit cannot be used together/ },
    { args: ['output', '--all', `--unit=${pushRole}`], message: /--all and --unit cannot be used together/ },
    { args: ['apply', '--saved-plans-only', '--yes'], message: /without the flag it needs .*: saved-plans-only -> all$/ },
    {
      args: ['apply', '--saved-plans-only', '--unit', pushRole, '--yes'],
      message: /without the flag it needs .*: saved-plans-only -> all$/,
    },
    { args: ['plan', '--quiet', '--verbose'], message: /--quiet and --verbose cannot be used together/ },
    { args: ['init', '--verbose', '--quiet'], message: /--quiet and --verbose cannot be used together/ },
    { args: ['output', '--json', '--format', 'env'], message: /--json and --format cannot be used together/ },
    {
      args: ['destroy', '--all', '--yes'],
      shell: { DEPLOY_UNIT: pushRole },
      message: /--all and DEPLOY_UNIT \(set in the environment\) cannot be used together/,
    },
  ];
  for (const { args, shell, message } of cases)
    test(`${shell ? 'DEPLOY_UNIT=… ' : ''}${args.join(' ')}`, async () => {
      const r = await runCli(args, env(shell));
      assert.equal(r.code, 64, r.stderr);
      const [first, fix] = r.stderr.split('\n');
      assert.match(first ?? '', message);
      assert.match(first ?? '', /nothing was run/);
      assert.match(fix ?? '', /^ {2}fix: /);
      assert.equal(r.stdout, '');
    });

  test('DEPLOY_UNIT from the env file is the standing default, not a narrowing of --all: no conflict', async () => {
    const file = join(home, '.env.push-role');
    await writeFile(file, `DEPLOY_UNIT=${pushRole}\n`);
    // Past the flags, this run stops at the missing tools (exit 1): it was not refused as bad input.
    for (const shell of [{}, { DEPLOY_UNIT: '' }] as Array<Record<string, string>>) {
      const r = await runCli(['plan', '--all', '--env-file', file], env(shell));
      assert.doesNotMatch(r.stderr, /cannot be used together/);
      assert.notEqual(r.code, 64, r.stderr);
      assert.notEqual(r.code, 0, r.stderr);
    }
  });
});

describe('the rules as declared, checked by yargs', () => {
  const rulesOf = (task: string) => joinRules(globalRules, tasks[task]?.rules ?? {});

  test('every flag a rule names is one the task takes', () => {
    for (const [name, entry] of Object.entries(tasks)) {
      const known = new Set([...Object.keys(settingOptions()), ...Object.keys(globalFlags), ...Object.keys(entry.flags)]);
      const { conflicts = [], implies = [] } = rulesOf(name);
      for (const flag of [...conflicts, ...implies].flat()) assert.ok(known.has(flag), `${name}: --${flag} is not a flag of the task`);
    }
  });

  test('no flag a rule names has a default yargs applies: it would count as given', () => {
    for (const [name, entry] of Object.entries(tasks)) {
      const options = { ...settingOptions(), ...globalFlags, ...entry.flags };
      const { conflicts = [], implies = [] } = rulesOf(name);
      for (const flag of [...conflicts, ...implies].flat()) assert.equal(options[flag]?.default, undefined, `${name} --${flag}`);
    }
  });

  test('each flag alone, and the combinations with a meaning, pass', () => {
    const fine: string[][] = [
      ['destroy', '--all', '--yes'],
      ['destroy', '--unit', pushRole, '--yes'],
      ['plan', '--all', '--detailed-exitcode', '--verbose'],
      ['apply', '--all', '--saved-plans-only', '--yes', '--quiet'],
      ['output', '--all', '--format', 'env'],
      ['output', '--json'],
      ['doctor', '--all', '--json', '--strict'],
    ];
    for (const argv of fine) assert.doesNotThrow(() => parseCommandLine(argv, {}), argv.join(' '));
    // DEPLOY_UNIT from the shell narrows nothing without --all.
    assert.doesNotThrow(() => parseCommandLine(['destroy', '--yes'], { DEPLOY_UNIT: pushRole }));
  });

  test('a twin set in the shell is a usage error (64) naming it; the flag beats its twin, in the message too', () => {
    assert.throws(
      () => parseCommandLine(['plan', '--all'], { DEPLOY_UNIT: pushRole, DEPLOY_STATE_BUCKET: 'b' }),
      (error: unknown) =>
        error instanceof TaskError &&
        error.exitCode === 64 &&
        error.code === 'USAGE' &&
        error.message.startsWith('--all and DEPLOY_UNIT (set in the environment) cannot be used together') &&
        /belongs in \.env/.test(error.hint ?? ''),
    );
    assert.throws(
      () => parseCommandLine(['plan', '--all', '--unit', pushRole], { DEPLOY_UNIT: pushRole }),
      /^TaskError: --all and --unit cannot/,
    );
    // An empty twin is unset.
    assert.doesNotThrow(() => parseCommandLine(['plan', '--all'], { DEPLOY_UNIT: '' }));
  });
});
