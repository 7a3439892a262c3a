import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runJob, type RunnerOptions } from '../support/workflow-runner.js';
import '../support/no-leftovers.js';

/** The e2e workflow test's runner, checked on small workflows: what it fills in, and what it refuses to guess. */
describe('the workflow runner of the e2e tests', () => {
  let dir: string;
  let options: RunnerOptions;
  const workflow = async (body: string): Promise<string> => {
    const file = join(dir, `w-${Math.random().toString(36).slice(2)}.yml`);
    await writeFile(file, body);
    return file;
  };
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'runner-'));
    options = {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '' },
      tools: { terraform: '/opt/tf/bin/terraform', terragrunt: '/opt/tg/bin/terragrunt' },
      vars: { BUCKET: 'b' },
      github: { sha: 'abc' },
    };
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("fills in vars, github and env, hands one step's outputs to the next, and reports the cached path", async () => {
    const file = await workflow(
      [
        'defaults: { run: { shell: bash } }',
        'env: { DEPLOY_STATE_BUCKET: "${{ vars.BUCKET }}", UNSET: "${{ vars.NOPE }}" }',
        'jobs:',
        '  j:',
        '    env: { CACHE: "${{ github.workspace }}/.cache" }',
        '    steps:',
        '      - uses: actions/checkout@0000000000000000000000000000000000000000',
        '      - uses: actions/cache@0000000000000000000000000000000000000000',
        '        with: { path: "${{ env.CACHE }}" }',
        '      - run: npm ci',
        '      - id: first',
        '        run: printf "one=1\\nsummary<<EOF\\na\\nb\\nEOF\\n" >> "$GITHUB_OUTPUT"',
        '      - run: printf "%s|%s|%s|%s" "$DEPLOY_STATE_BUCKET" "$UNSET" "$FROM_FIRST" "$GITHUB_SHA" > seen; echo "# done" >> "$GITHUB_STEP_SUMMARY"',
        '        env: { FROM_FIRST: "${{ steps.first.outputs.summary }}" }',
        '',
      ].join('\n'),
    );
    const run = await runJob(file, 'j', options);
    assert.deepEqual(
      run.steps.map((s) => [s.code, s.outputs]),
      [
        [0, { one: '1', summary: 'a\nb' }],
        [0, {}],
      ],
    );
    assert.equal(await readFile(join(dir, 'seen'), 'utf8'), 'b||a\nb|abc');
    assert.equal(run.summary, '# done\n');
    assert.deepEqual(run.cachedPaths, [join(dir, '.cache')]);
    assert.match(run.env.PATH ?? '', /^\/opt\/tf\/bin:\/opt\/tg\/bin:/);
  });

  it('stops at a failing step, and refuses an action it has no stand-in for and a run step it cannot evaluate', async () => {
    const steps = (lines: string[]): string =>
      ['defaults: { run: { shell: bash } }', 'jobs:', '  j:', '    steps:', ...lines, ''].join('\n');
    const failing = await runJob(await workflow(steps(['      - run: exit 3', '      - run: "true"'])), 'j', options);
    assert.deepEqual(
      failing.steps.map((s) => s.code),
      [3],
    );
    const unknown = await workflow(steps(['      - uses: someone/else@0000000000000000000000000000000000000000']));
    await assert.rejects(runJob(unknown, 'j', options), /no stand-in for someone\/else/);
    const conditional = await workflow(steps(['      - if: always()', '        run: "true"']));
    await assert.rejects(runJob(conditional, 'j', options), /cannot evaluate if:/);
  });
});
