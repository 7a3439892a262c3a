import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseCommandLine, type CommandLine } from '../../cli/parser.js';
import { settings } from '../../lib/config/settings.js';
import { TaskError } from '../../lib/core/errors.js';

/** The parsed flags of a task run, or a failed assertion when yargs gave help instead. */
function flagsOf(argv: string[], shell: NodeJS.ProcessEnv = {}): Readonly<Record<string, unknown>> {
  const line: CommandLine = parseCommandLine(argv, shell);
  assert.equal(line.help, undefined, `${argv.join(' ')} gave help`);
  return 'args' in line ? line.args : {};
}

/** The bad-input error (64, USAGE) `argv` is refused with. */
function refused(argv: string[], shell: NodeJS.ProcessEnv = {}): TaskError {
  try {
    parseCommandLine(argv, shell);
  } catch (error) {
    assert.ok(error instanceof TaskError, String(error));
    assert.equal(error.exitCode, 64);
    assert.equal(error.code, 'USAGE');
    return error;
  }
  assert.fail(`${argv.join(' ')} was accepted`);
}

function helpOf(argv: string[]): string {
  const { help } = parseCommandLine(argv, {});
  assert.ok(help !== undefined, `${argv.join(' ')} gave no help`);
  return help;
}

describe('yargs reads the flags', () => {
  test('values, --no-<flag>, an array flag taking the words after it, and only the flags given', () => {
    const args = flagsOf(['tools', '--state-bucket', 'b', '--no-color', '--only', 'terraform', 'terragrunt', '--verbose']);
    assert.equal(args['state-bucket'], 'b');
    assert.equal(args.color, false);
    assert.deepEqual(args.only, ['terraform', 'terragrunt']);
    assert.equal(args.verbose, true);
    // Nothing defaulted: a default would count as given for the rules, and beat the environment for a setting.
    for (const name of ['quiet', 'unit', 'repository-name', 'env-file']) assert.equal(args[name], undefined, name);
    assert.equal(flagsOf(['unlock', '--lock-id=L'])['lock-id'], 'L');
  });

  test('flags stay text as written: no numbers, no camelCase twins; the last of a repeated flag wins', () => {
    const args = flagsOf(['plan', '--lock-timeout', '0600', '--state-bucket', 'a', '--state-bucket=b']);
    assert.equal(args['lock-timeout'], '0600');
    assert.equal(args['state-bucket'], 'b');
    assert.equal(args.lockTimeout, undefined);
    assert.match(refused(['plan', '--stateBucket', 'b']).message, /Unknown argument: stateBucket/);
  });

  test("a flag of no task, another task's flag, and a stray word (after -- too) are refused", () => {
    assert.match(refused(['plan', '--bogus-flag']).message, /Unknown argument: bogus-flag/);
    const planYes = refused(['plan', '--yes']);
    assert.match(planYes.message, /Unknown argument: yes/);
    assert.doesNotMatch(planYes.hint ?? '', /--yes/);
    for (const argv of [
      ['plan', 'stray'],
      ['plan', '--', '--all'],
    ])
      assert.match(refused(argv).message, /word after the task is neither a flag nor a flag's value/, argv.join(' '));
  });

  test('the nearest task or flag of that task is suggested', () => {
    const task = refused(['aply']);
    assert.equal(task.message, 'Unknown task "aply"');
    assert.match(task.hint ?? '', /^Did you mean npm run apply\? Tasks: init, plan, apply/);
    const far = refused(['frobnicate']);
    assert.equal(far.message, 'Unknown task "frobnicate"');
    assert.match(far.hint ?? '', /^Tasks: init, plan, apply, destroy, output, doctor/);
    assert.equal(refused(['apply', '--ye']).hint, 'Did you mean --yes?');
    assert.equal(refused(['plan', '--state-buckt', 'x']).hint, 'Did you mean --state-bucket?');
    assert.equal(refused(['plan', '--no-lok']).hint, 'Did you mean --lock?');
    assert.doesNotMatch(refused(['doctor', '--detailed-exitcod']).hint ?? '', /--detailed-exitcode/);
    assert.match(refused([]).message, /^Name a task: npm run <task> -- \[flags\]/);
    assert.match(refused(['--verbose']).hint ?? '', /^Tasks: /);
  });

  test('a required flag missing, or a value outside the choices, is refused naming the flag and the fix', () => {
    const lockId = refused(['unlock', '--yes']);
    assert.match(lockId.message, /Missing required argument: lock-id/);
    assert.match(lockId.hint ?? '', /npm run unlock -- --help/);
    assert.match(
      refused(['output', '--format', 'xml']).message,
      /^Invalid values: Argument: format, Given: "xml", Choices: "text", "json"/,
    );
  });

  test('--env-file: a path, --env-file=<path> (even one that starts with -), the last one given; never empty', () => {
    assert.equal(flagsOf(['plan', '--env-file', '.env.prod', '--verbose'])['env-file'], '.env.prod');
    assert.equal(flagsOf(['plan', '--env-file=-odd'])['env-file'], '-odd');
    assert.equal(flagsOf(['plan', '--env-file', 'a', '--verbose', '--env-file=b'])['env-file'], 'b');
    for (const argv of [
      ['plan', '--env-file'],
      ['plan', '--env-file', '--verbose'],
      ['plan', '--env-file='],
    ])
      assert.match(refused(argv).message, /--env-file needs the path of a settings file/, argv.join(' '));
  });
});

describe('help, from the registry and the settings table', () => {
  test("a task's help: its flags, the global flags, every setting with its environment twin and default", () => {
    const help = helpOf(['plan', '--help']);
    assert.match(help, /^npm run plan -- \[flags\]\n\nPlan into a file next to the unit\n/);
    assert.match(help, /\nFlags of plan:\n(.*\n)*? {6}--detailed-exitcode /);
    assert.match(help, /\nGlobal flags:\n(.*\n)*? {6}--env-file .*\[env: DEPLOY_ENV_FILE\]/);
    assert.match(help, /--lock .*\[boolean\] \[default: true\]/);
    for (const s of settings) {
      const line = new RegExp(
        `^ +--${s.flag} +.*\\[env: ${s.env}\\]  \\[string\\]${s.default === undefined ? '$' : ` \\[default: ${s.default.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\]`}`,
        'm',
      );
      assert.match(help, line, s.flag);
    }
    assert.doesNotMatch(help, /--yes/, 'plan takes no --yes');
  });

  test('-h and --help alone list the tasks; help is given even beside bad flags, which it does not check', () => {
    for (const argv of [['--help'], ['-h'], ['frobnicate', '--help']]) assert.match(helpOf(argv), /\nTasks:\n {2}npm run init +Create/);
    assert.match(helpOf(['destroy', '--all', '--unit', 'x', '--help']), /^npm run destroy -- \[flags\]/);
  });
});
