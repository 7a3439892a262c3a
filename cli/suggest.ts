import { nearest } from '../lib/core/edit-distance.js';

/** From an "Unknown argument: statebucket" message, the closest known flag, if close enough. */
export function suggestFlag(message: string, known: readonly string[]): string | undefined {
  const unknown = /Unknown arguments?: ([^\s,]+)/.exec(message)?.[1];
  if (!unknown) return undefined;
  const best = nearest(unknown.replace(/^-+/, ''), known);
  return best && best.distance <= Math.max(2, Math.floor(best.candidate.length / 3)) ? `Did you mean --${best.candidate}?` : undefined;
}
