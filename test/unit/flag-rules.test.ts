import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { checkFlagRules, givenFlags, joinRules } from '../../cli/flag-rules.js';
import { globalFlags, globalRules, tasks } from '../../cli/registry.js';
import { settingFlags } from '../../lib/config/flags.js';
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
    { args: ['apply', '--saved-plans-only', '--yes'], message: /--saved-plans-only needs --all/ },
    { args: ['apply', '--saved-plans-only', '--unit', pushRole, '--yes'], message: /--saved-plans-only needs --all/ },
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

describe('the rules as declared', () => {
  const rulesOf = (task: string) => joinRules(globalRules, tasks[task]?.rules ?? {});
  const given = (...flags: string[]) => givenFlags(new Set(flags), {});

  test('every flag a rule names is one the task takes', () => {
    for (const [name, entry] of Object.entries(tasks)) {
      const known = new Set([...Object.keys(settingFlags()), ...Object.keys(globalFlags), ...Object.keys(entry.flags)]);
      const { conflicts = [], implies = [] } = rulesOf(name);
      for (const flag of [...conflicts, ...implies].flat()) assert.ok(known.has(flag), `${name}: --${flag} is not a flag of the task`);
    }
  });

  test('each flag alone, and the combinations with a meaning, pass', () => {
    const fine: Array<[string, string[]]> = [
      ['destroy', ['all', 'yes']],
      ['destroy', ['unit', 'yes']],
      ['plan', ['all', 'detailed-exitcode', 'verbose']],
      ['apply', ['all', 'saved-plans-only', 'yes', 'quiet']],
      ['output', ['all', 'format']],
      ['output', ['json']],
      ['doctor', ['all', 'json', 'strict']],
    ];
    for (const [task, flags] of fine) assert.doesNotThrow(() => checkFlagRules(rulesOf(task), given(...flags), task), task);
  });

  test('a broken rule is a usage error (64) naming how each flag was given', () => {
    const shell = givenFlags(new Set(['all']), { DEPLOY_UNIT: pushRole, DEPLOY_STATE_BUCKET: 'b' });
    assert.throws(
      () => checkFlagRules(rulesOf('plan'), shell, 'plan'),
      (error: unknown) =>
        error instanceof TaskError &&
        error.exitCode === 64 &&
        error.code === 'USAGE' &&
        error.message.startsWith('--all and DEPLOY_UNIT (set in the environment) cannot be used together') &&
        /belongs in \.env/.test(error.hint ?? ''),
    );
    // The flag beats its twin, in the message too.
    const both = givenFlags(new Set(['all', 'unit']), { DEPLOY_UNIT: pushRole });
    assert.throws(() => checkFlagRules(rulesOf('plan'), both, 'plan'), /^TaskError: --all and --unit cannot/);
  });
});
