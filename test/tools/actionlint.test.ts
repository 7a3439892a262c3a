import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { run as lint } from '../../tasks/lint.js';
import { testContext } from '../support/context.js';
import { suiteTools, suiteToolsEnv } from '../support/tools.js';

/** `npm run lint -- --only actionlint` with the pinned actionlint (npm run tools builds it). */
describe('lint --only actionlint', () => {
  let project: string;
  before(async () => {
    await suiteTools(['actionlint']);
    // What the lint task reads of a project: its pins, its name, the infrastructure tree and the workflows.
    project = await mkdtemp(join(tmpdir(), 'actionlint-'));
    for (const path of ['package.json', 'tools.lock.json', '.tool-versions', 'platform/infra', '.github/workflows'])
      await cp(path, join(project, path), { recursive: true, filter: (src) => !src.includes('.terragrunt-cache') });
  });
  after(async () => {
    await rm(project, { recursive: true, force: true });
  });

  it("finds nothing in the project's workflows", async () => {
    const ctx = testContext({ env: suiteToolsEnv() });
    const code = await lint({ overrides: {}, only: ['actionlint'] }, ctx);
    assert.equal(code, 0, ctx.log.lines.join('\n'));
    assert.deepEqual(ctx.log.lines, ['ok    actionlint (.github/workflows)', 'lint: all clean']);
  });

  it('fails on a finding, and names it, with no git checkout around the workflows', async () => {
    await mkdir(join(project, '.github', 'workflows'), { recursive: true });
    await writeFile(
      join(project, '.github', 'workflows', 'bad.yml'),
      [
        'on: push',
        'jobs:',
        '  build:',
        '    runs-on: ubuntu-24.04',
        '    steps:',
        '      - run: echo "${{ github.event.head_commit.message }}"',
        '      - run: exit 0',
        '        needs: nothing',
        '',
      ].join('\n'),
    );
    const ctx = testContext({ projectDir: project, env: suiteToolsEnv() });
    const code = await lint({ overrides: {}, only: ['actionlint'] }, ctx);
    const out = ctx.log.lines.join('\n');
    assert.equal(code, 1, out);
    assert.match(out, /^FAIL {2}actionlint \(\.github\/workflows\)$/m);
    assert.match(out, /bad\.yml:6:\d+: "github\.event\.head_commit\.message" is potentially untrusted/);
    assert.match(out, /bad\.yml:8:\d+: unexpected key "needs" for step to run shell command/);
    assert.match(out, /lint: 1 of 1 checks failed: actionlint \(\.github\/workflows\)$/m);
  });
});
