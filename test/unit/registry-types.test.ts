import assert from 'node:assert/strict';
import yargs from '#yargs';
import { test } from 'node:test';
import { booleanFlag, choiceFlag } from '../../cli/flags.js';
import { task } from '../../cli/registry.js';
import { testContext } from '../support/context.js';

interface EchoOptions {
  yes: boolean;
  format: 'text' | 'json';
}

const yes = booleanFlag('yes', 'Approve');
const format = choiceFlag('format', 'Output', ['text', 'json'], 'text');

test('a task entry reads its flags into the options its run takes', async () => {
  const seen: EchoOptions[] = [];
  const entry = task({
    describe: 'echo',
    flags: [yes, format],
    options: (a) => ({ yes: yes.read(a), format: format.read(a) }),
    load: () => Promise.resolve({ run: (o: EchoOptions) => Promise.resolve(seen.push(o)) }),
  });
  const noComposition = (): Promise<number> => Promise.reject(new Error('this task composes no other'));
  await entry.start(yargs(['--yes', '--format', 'json']).options(entry.flags).strict().parseSync(), testContext(), noComposition);
  // Defaults are the flags' own: yargs is given none.
  await entry.start(yargs([]).options(entry.flags).strict().parseSync(), testContext(), noComposition);
  assert.deepEqual(seen, [
    { yes: true, format: 'json' },
    { yes: false, format: 'text' },
  ]);
});

// Compile-time checks: `npm run build` fails when one of these stops being an error, because
// an unused @ts-expect-error is itself an error. They never run.
export function wrongOptionsDoNotCompile(): void {
  const run = (o: EchoOptions): Promise<number> => Promise.resolve(o.yes ? 0 : 1);
  task({
    describe: 'a flag read as the wrong type',
    flags: [yes],
    // @ts-expect-error yes is a boolean in EchoOptions, not 'text' | 'json'
    options: (a) => ({ yes: format.read(a), format: format.read(a) }),
    load: () => Promise.resolve({ run }),
  });
  task({
    describe: 'an option missing',
    flags: [yes],
    // @ts-expect-error format is missing
    options: (a) => ({ yes: yes.read(a) }),
    load: () => Promise.resolve({ run }),
  });
}
