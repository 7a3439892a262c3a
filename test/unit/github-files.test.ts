import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TaskError } from '../../lib/core/errors.js';
import { appendStepSummary, checkOutputName, githubFile, githubOutputText, writeGithubOutputs } from '../../lib/deploy/github-output.js';
import { outputDestination, writeRendered } from '../../tasks/output/destination.js';
import { replaceFile } from '../../lib/os/file-target.js';
import { runCli } from '../support/cli.js';
import { testContext } from '../support/context.js';
import { parseGithubOutput } from '../support/github-files.js';

/** The TaskError a call throws: its code, exit code and hint are what the operator sees. */
async function taskError(call: () => Promise<unknown>): Promise<TaskError> {
  try {
    await call();
  } catch (error) {
    if (error instanceof TaskError) return error;
    throw error;
  }
  assert.fail('expected a TaskError');
}

describe('the GitHub Actions files ($GITHUB_OUTPUT, $GITHUB_STEP_SUMMARY)', () => {
  let dir: string;
  before(async () => (dir = await mkdtemp(join(tmpdir(), 'github-files-'))));
  after(() => rm(dir, { recursive: true, force: true }));

  it('one-line values as name=value, several lines as a block no value can close early', () => {
    assert.equal(githubOutputText({ 'exit-code': '2', ALIAS: 'a' }), 'exit-code=2\nALIAS=a\n');
    // A value that imitates a delimiter and another output stays one value.
    const hostile = 'line 1\nEOF\nghadelimiter_0\nexit-code=0';
    const text = githubOutputText({ summary: hostile, 'exit-code': '1' });
    assert.deepEqual(parseGithubOutput(text), { summary: hostile, 'exit-code': '1' });
    const delimiter = (t: string): string | undefined => /^summary<<(.+)$/m.exec(t)?.[1];
    assert.match(delimiter(text) ?? '', /^ghadelimiter_[0-9a-f-]{36}$/);
    assert.notEqual(delimiter(text), delimiter(githubOutputText({ summary: hostile })), 'a fresh delimiter each time');
    assert.throws(() => githubOutputText({ 'bad name': 'x' }), /not a GitHub output name/);
  });

  it('appends outputs and the summary to the files the step was given', async () => {
    const output = join(dir, 'output');
    const summary = join(dir, 'summary.md');
    await writeFile(output, 'earlier=1\n');
    const ctx = testContext({ env: { GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary } });
    await writeGithubOutputs(ctx, await githubFile(ctx, 'GITHUB_OUTPUT', '--x'), { report: '{\n  "units": []\n}' });
    await appendStepSummary(ctx, await githubFile(ctx, 'GITHUB_STEP_SUMMARY', '--x'), '### Plan');
    assert.deepEqual(parseGithubOutput(await readFile(output, 'utf8')), { earlier: '1', report: '{\n  "units": []\n}' });
    assert.equal(await readFile(summary, 'utf8'), '### Plan\n');
  });

  it('a missing, directory, folderless or unwritable target is a TaskError with its fix, exit 64', async () => {
    const check = (value: string | undefined) => () =>
      githubFile(testContext({ env: value === undefined ? {} : { GITHUB_OUTPUT: value } }), 'GITHUB_OUTPUT', '--summary github');
    const unset = await taskError(check(undefined));
    assert.equal(unset.code, 'GITHUB_FILE_UNSET');
    assert.match(unset.hint ?? '', /inside a GitHub Actions step, or leave out --summary github/);
    const directory = await taskError(check(dir));
    assert.equal(directory.code, 'GITHUB_FILE_UNWRITABLE');
    assert.equal(directory.exitCode, 64);
    assert.match(directory.message, /is a directory/);
    assert.match(directory.hint ?? '', /Name a file, not the directory .*, or point GITHUB_OUTPUT at a writable file/);
    const folderless = await taskError(check(join(dir, 'missing', 'output')));
    assert.match(folderless.message, /its folder .*missing does not exist/);
    assert.match(folderless.hint ?? '', /mkdir -p .*missing/);
    // Not writable: refused by the check, or (as root, who passes access checks) when appending.
    const ctx = testContext({ env: { GITHUB_OUTPUT: '/proc/version' } });
    const refused = await taskError(async () => writeGithubOutputs(ctx, await githubFile(ctx, 'GITHUB_OUTPUT', '--x'), { a: 'b' }));
    assert.equal(refused.code, 'GITHUB_FILE_UNWRITABLE');
    assert.match(refused.message, /GITHUB_OUTPUT cannot be written: .*\/proc\/version/);
  });

  it('refuses an output name GitHub would not take', () => {
    assert.doesNotThrow(() => checkOutputName('drift-report_2', '--github-output'));
    for (const bad of ['', '2x', '-x', 'a b', 'a=b'])
      assert.throws(
        () => checkOutputName(bad, '--github-output'),
        (e: unknown) => e instanceof TaskError && e.exitCode === 64,
      );
  });
});

describe('output --out-file', () => {
  let dir: string;
  before(async () => (dir = await mkdtemp(join(tmpdir(), 'out-file-'))));
  after(() => rm(dir, { recursive: true, force: true }));

  it('replaces the file whole, 0644, leaving no temp file; a relative path is taken from where npm was run', async () => {
    const ctx = testContext({ env: { INIT_CWD: dir, npm_lifecycle_event: 'output' } });
    const destination = await outputDestination('env', 'ecr.env', ctx);
    assert.deepEqual(destination, { kind: 'rendered', format: 'env', file: join(dir, 'ecr.env') });
    await writeFile(join(dir, 'ecr.env'), 'OLD=1\nSTALE=2\n');
    await writeRendered(ctx, join(dir, 'ecr.env'), 'ALIAS=a\n');
    assert.equal(await readFile(join(dir, 'ecr.env'), 'utf8'), 'ALIAS=a\n');
    assert.equal((await stat(join(dir, 'ecr.env'))).mode & 0o777, 0o644);
    assert.deepEqual(await readdir(dir), ['ecr.env']);
    await writeRendered(ctx, undefined, 'ALIAS=b\n');
    assert.equal(ctx.io.written(), 'ALIAS=b\n');
  });

  it('refuses a directory, a missing folder, and --format github with a file, before anything runs', async () => {
    const ctx = testContext({ env: { INIT_CWD: dir, npm_lifecycle_event: 'output' } });
    await mkdir(join(dir, 'sub'));
    const directory = await taskError(() => outputDestination('env', 'sub', ctx));
    assert.equal(directory.code, 'OUT_FILE_UNWRITABLE');
    assert.equal(directory.exitCode, 64);
    assert.match(directory.message, /--out-file sub cannot be written: .*sub is a directory/);
    const folderless = await taskError(() => outputDestination('env', 'nope/ecr.env', ctx));
    assert.match(folderless.hint ?? '', /mkdir -p .*nope\), or give --out-file another path/);
    assert.equal((await taskError(() => outputDestination('github', 'x', ctx))).code, 'OUTPUT_DESTINATION');
    // A write that fails after the check (here the rename onto a directory) leaves no temp file behind.
    await assert.rejects(replaceFile(join(dir, 'sub'), 'y'), /EISDIR/);
    assert.deepEqual(
      (await readdir(dir)).filter((f) => f.endsWith('.tmp')),
      [],
    );
  });
});

describe('the CLI checks these paths and names before it calls AWS or runs a tool', () => {
  let dir: string;
  before(async () => (dir = await mkdtemp(join(tmpdir(), 'cli-targets-'))));
  after(() => rm(dir, { recursive: true, force: true }));

  // No credentials and no tools are given: a check that came later would fail on those instead.
  const cases: Array<[string, string[], Record<string, string>, RegExp]> = [
    ['output --out-file <directory>', ['output', '--all', '--format', 'env', '--out-file', '.'], {}, /--out-file \. cannot be written/],
    [
      'plan --summary github, GITHUB_OUTPUT a directory',
      ['plan', '--all', '--summary', 'github'],
      { GITHUB_OUTPUT: '/' },
      /GITHUB_OUTPUT cannot be written/,
    ],
    ['plan --summary github without --all', ['plan', '--summary', 'github'], {}, /needs --all/],
    ['drift --github-output <bad name>', ['drift', '--github-output', 'a b'], {}, /is not an output name/],
  ];
  for (const [name, args, env, message] of cases)
    it(name, async () => {
      const run = await runCli(args, {
        ...env,
        INIT_CWD: dir,
        npm_lifecycle_event: 'test',
        AWS_CONFIG_FILE: join(dir, 'none'),
        AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none'),
      });
      assert.equal(run.code, 64, run.stderr);
      assert.match(run.stderr, message);
      assert.match(run.stderr, /fix: /);
    });
});
