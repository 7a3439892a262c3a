import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, test } from 'node:test';
import type { TaskContext } from '../../lib/core/context.js';
import { TaskError } from '../../lib/core/errors.js';
import { testContext } from '../support/context.js';
import { confirm, type ConfirmOptions } from '../../lib/core/prompt.js';

const options: ConfirmOptions = {
  question: 'This deletes the repository.',
  expected: 'team/base',
  yes: false,
  action: 'destroy',
  withoutTerminal: 'Run it in a terminal, or pass --yes (npm run destroy -- --yes).',
};

/** A terminal stand-in: keys typed into stdin one by one, as a TTY in raw mode delivers them; the prompt shows on stderr. */
function terminal(signal = new AbortController().signal): { ctx: TaskContext; stdin: PassThrough; prompted: Promise<void> } {
  const stdin = new PassThrough();
  const stderr = new PassThrough();
  const prompted = new Promise<void>((resolve) => stderr.on('data', (c: Buffer) => c.toString().includes('to continue:') && resolve()));
  const ctx = { ...testContext({ env: {}, interactive: true, signal }), io: { stdin, stderr, stdout: new PassThrough(), terminal: true } };
  return { ctx, stdin, prompted };
}

async function answer(keys: string): Promise<boolean> {
  const t = terminal();
  const result = confirm(t.ctx, options);
  await t.prompted;
  t.stdin.write(keys);
  return result;
}

function cancelledWith(how: RegExp): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof TaskError, String(error));
    assert.equal(error.exitCode, 130);
    assert.match(error.message, /^Destroy cancelled at the prompt \(.*\); nothing was changed\.$/);
    assert.match(error.message, how);
    return true;
  };
}

describe('confirmation prompt', () => {
  test('only the exact text approves', async () => {
    assert.equal(await answer('team/base\r'), true);
    assert.equal(await answer('yes\r'), false);
  });

  test('Ctrl-C and Ctrl-D at the prompt: exit 130 and nothing was changed, never a bug report', async () => {
    await assert.rejects(answer('\u0003'), cancelledWith(/Ctrl\+C/));
    await assert.rejects(answer('\u0004'), cancelledWith(/Ctrl\+D/));
  });

  test('SIGINT or SIGTERM while it waits ends it the same way', async () => {
    const controller = new AbortController();
    const t = terminal(controller.signal);
    const result = confirm(t.ctx, options);
    await t.prompted;
    controller.abort();
    await assert.rejects(result, cancelledWith(/interrupted/));
  });

  test('no terminal: refuses with the task own way forward, which mentions no plan', async () => {
    await assert.rejects(confirm(testContext({ env: {} }), options), (error: unknown) => {
      assert.ok(error instanceof TaskError);
      assert.match(error.message, /Refusing to destroy without confirmation: no terminal to ask on/);
      assert.equal(error.hint, options.withoutTerminal);
      assert.doesNotMatch(`${error.message} ${error.hint ?? ''}`, /plan/i);
      return true;
    });
  });
});
