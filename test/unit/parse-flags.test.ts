import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FlagOptions } from '../../lib/config/flags.js';
import { parseFlags } from '../../cli/parse-flags.js';

const flags: Record<string, FlagOptions> = {
  'state-bucket': { type: 'string', describe: 'a setting' },
  color: { type: 'boolean', default: true, describe: 'a negatable switch' },
  yes: { type: 'boolean', default: false, describe: 'a switch' },
  only: { type: 'array', describe: 'a list' },
  format: { choices: ['text', 'json'], default: 'text', describe: 'a choice' },
  'lock-id': { type: 'string', demandOption: true, describe: 'a required value' },
};

test('values, defaults, --no-<flag>, and an array flag taking the words after it', () => {
  assert.deepEqual(parseFlags(flags, ['--state-bucket', 'b', '--no-color', '--yes', '--only', 'terraform', 'terragrunt', '--lock-id=L']), {
    'state-bucket': 'b',
    color: false,
    yes: true,
    only: ['terraform', 'terragrunt'],
    format: 'text',
    'lock-id': 'L',
  });
});

test('unknown flags and stray words are errors worded as yargs words them (the usage error suggests from them)', () => {
  assert.throws(() => parseFlags(flags, ['--lock-id', 'L', '--state-buckt', 'b']), /^Error: Unknown argument: state-buckt$/);
  assert.throws(() => parseFlags(flags, ['--lock-id', 'L', 'stray']), /Unknown argument: stray/);
});

test('a required flag missing, or a value outside the choices, is an error naming the flag', () => {
  assert.throws(() => parseFlags(flags, []), /Missing required argument: lock-id/);
  assert.throws(
    () => parseFlags(flags, ['--lock-id', 'L', '--format', 'xml']),
    /Invalid value for --format: "xml"; choices: "text", "json"/,
  );
});

test('the rules see only the flags given on the command line, not the defaulted ones', () => {
  const seen: string[][] = [];
  parseFlags(flags, ['--no-color', '--lock-id', 'L', '--only', 'terraform'], (given) => seen.push([...given].sort()));
  assert.deepEqual(seen, [['color', 'lock-id', 'only']]);
  assert.throws(
    () =>
      parseFlags(flags, ['--lock-id', 'L', '--yes'], (given) => {
        if (given.has('yes')) throw new Error('refused');
      }),
    /refused/,
  );
});
