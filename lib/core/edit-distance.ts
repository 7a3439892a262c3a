/** Levenshtein distance, for "did you mean" on mistyped flags, tasks and settings. */
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

/** The candidate closest to `word`, with its distance. */
export function nearest(word: string, candidates: readonly string[]): { candidate: string; distance: number } | undefined {
  return candidates.map((c) => ({ candidate: c, distance: distance(word, c) })).sort((x, y) => x.distance - y.distance)[0];
}
