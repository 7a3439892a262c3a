import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isCi } from '../../lib/core/context.js';
import { printable } from '../../lib/core/printable.js';
import { hintFor } from '../../lib/terragrunt/hints.js';

describe('text from outside, printed', () => {
  test('control characters are shown as escapes: no ANSI code, carriage return or forged line reaches the terminal', () => {
    assert.equal(printable('ops@host'), 'ops@host');
    assert.equal(printable('\u001b[31mred\u001b[0m'), '\\x1b[31mred\\x1b[0m');
    assert.equal(printable('a\nfix: b\r\tc\u0007\u009b'), 'a\\nfix: b\\r\\tc\\x07\\x9b');
  });

  test("terraform's lock error: the holder in the hint is printable", () => {
    const output =
      'Error: Error acquiring the state lock\nLock Info:\n  ID:        abc-1\n  Who:       \u001b[2Jops@x\u001b[31m\n  Created:   2026-01-01\n';
    const hint = hintFor(output) ?? '';
    assert.match(hint, /held by \\x1b\[2Jops@x\\x1b\[31m since 2026-01-01/);
    assert.doesNotMatch(hint, /\u001b/);
    assert.match(hint, /npm run unlock -- --lock-id abc-1/);
  });
});

describe('CI', () => {
  test('counts only when set to a true value', () => {
    for (const value of ['true', 'TRUE', '1', ' true ']) assert.equal(isCi({ CI: value }), true, value);
    for (const value of [undefined, '', 'false', 'FALSE', '0', 'no']) assert.equal(isCi({ CI: value }), false, String(value));
  });
});
