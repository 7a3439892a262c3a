/** Edit distance, for "did you mean" on mistyped flags. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    let previous = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const current = row[j] ?? 0;
      row[j] = Math.min(current + 1, (row[j - 1] ?? 0) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length] ?? 0;
}

/** From yargs' "Unknown argument: statebucket" message, the closest known flag, if close enough. */
export function suggestFlag(message: string, known: readonly string[]): string | undefined {
  const unknown = /Unknown arguments?: ([^\s,]+)/.exec(message)?.[1];
  if (!unknown) return undefined;
  const best = known.map((k) => ({ k, d: distance(unknown.replace(/^-+/, ''), k) })).sort((x, y) => x.d - y.d)[0];
  return best && best.d <= Math.max(2, Math.floor(best.k.length / 3)) ? `Did you mean --${best.k}?` : undefined;
}
