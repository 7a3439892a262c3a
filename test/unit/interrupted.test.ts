import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { watch } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cliOf } from '../support/cli.js';
import '../support/no-leftovers.js';

// A configured terraform that hangs on `version`: the task's own tool check waits on it when
// the signal comes. A bound of 600 s for the probe, so only the signal can end it in this test.
test(
  'a signal to our process alone while a tool probe hangs: exit 130, and the run says it was interrupted',
  { timeout: 30_000 },
  async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'interrupted-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const terraform = join(dir, 'terraform');
    await writeFile(terraform, `#!/bin/bash\ntouch ${dir}/probed\nexec tail -f /dev/null\n`, { mode: 0o755 });
    const probed = new Promise<void>((resolve) => {
      const watcher = watch(dir, (_event, name) => {
        if (name !== 'probed') return;
        watcher.close();
        resolve();
      });
    });
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: dir,
      NO_COLOR: '1',
      CI: 'true',
      TOOLS_CACHE_DIR: join(dir, 'tools'),
      TOOLS_PROBE_TIMEOUT_SECONDS: '600',
      DEPLOY_TERRAFORM_PATH: terraform,
    };
    const child = spawn(process.execPath, [cliOf(process.cwd()), '--', 'plan'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    await probed;
    child.kill('SIGINT');
    const [code] = (await once(child, 'close')) as [number | null];
    assert.equal(code, 130, stderr);
    assert.match(stderr, /✖ Interrupted: npm run plan stopped before it finished; nothing more was started\./);
  },
);
