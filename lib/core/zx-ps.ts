/** Node's code for "Passing args to a child process with shell option true". */
const shellArgsWarning = 'DEP0190';

function codeOf(rest: unknown[]): unknown {
  const [typeOrOptions, code] = rest;
  return typeof typeOrOptions === 'object' && typeOrOptions !== null ? (typeOrOptions as { code?: unknown }).code : code;
}

/**
 * Runs a call of zx's `ps` (or zx's `kill`, which walks the tree with it) without Node's
 * DEP0190 warning. zx 8.8.5 (the newest) spawns `ps -lx` with `shell: true` and an argument
 * list, a form Node 26 deprecates and warns about on the operator's terminal; the arguments
 * are zx's own constants, so the warning says nothing about this package. It is dropped only
 * while the call spawns `ps` (synchronously, inside the call), and only that warning.
 */
export function withoutZxPsWarning<T>(call: () => T): T {
  const emit = process.emitWarning.bind(process) as (...args: unknown[]) => void;
  const original = Object.getOwnPropertyDescriptor(process, 'emitWarning');
  process.emitWarning = (warning: string | Error, ...rest: unknown[]): void => {
    if (codeOf(rest) !== shellArgsWarning) emit(warning, ...rest);
  };
  try {
    return call();
  } finally {
    if (original === undefined) Reflect.deleteProperty(process, 'emitWarning');
    else Object.defineProperty(process, 'emitWarning', original);
  }
}
