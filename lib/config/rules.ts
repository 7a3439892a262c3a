/**
 * Small value checkers used by the settings table. Each returns the parsed value or
 * an `Invalid` naming the allowed form, so every problem can be reported at once.
 */
export interface Invalid {
  problem: string;
}
export type Parsed<T> = { value: T } | Invalid;

export function isInvalid<T>(parsed: Parsed<T>): parsed is Invalid {
  return 'problem' in parsed;
}

export function matching(pattern: RegExp, form: string) {
  return (raw: string): Parsed<string> => (pattern.test(raw) ? { value: raw } : { problem: `must be ${form}` });
}

export function oneOf(allowed: readonly string[]) {
  return (raw: string): Parsed<string> => (allowed.includes(raw) ? { value: raw } : { problem: `must be one of: ${allowed.join(', ')}` });
}

export function positiveInteger(max: number) {
  return (raw: string): Parsed<number> => {
    const n = /^[0-9]+$/.test(raw) ? Number(raw) : Number.NaN;
    return Number.isInteger(n) && n >= 1 && n <= max ? { value: n } : { problem: `must be a whole number from 1 to ${max}` };
  };
}

export function nonNegativeInteger(max: number) {
  return (raw: string): Parsed<number> => {
    const n = /^[0-9]+$/.test(raw) ? Number(raw) : Number.NaN;
    return Number.isInteger(n) && n <= max ? { value: n } : { problem: `must be a whole number from 0 to ${max}` };
  };
}

export function boolean(raw: string): Parsed<boolean> {
  if (raw === 'true') return { value: true };
  if (raw === 'false') return { value: false };
  return { problem: 'must be true or false' };
}

/** S3 bucket naming rules (general purpose buckets), without dots: TLS wildcard certs break on dots. */
export function bucketName(raw: string): Parsed<string> {
  const ok =
    /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(raw) &&
    !raw.includes('--') &&
    !/^(xn--|sthree-|amzn-s3-demo-)/.test(raw) &&
    !/(-s3alias|--ol-s3|--x-s3|--table-s3)$/.test(raw);
  return ok
    ? { value: raw }
    : { problem: 'must be 3-63 characters of a-z, 0-9 and single hyphens, starting and ending with a letter or digit' };
}

/** `key=value` pairs separated by commas, keys and values within S3's tag limits. */
export function tagList(raw: string): Parsed<Readonly<Record<string, string>>> {
  const tags: Record<string, string> = {};
  const form = 'comma-separated key=value pairs (keys 1-128, values 0-256 of letters, digits, spaces and _.:/=+-@)';
  for (const pair of raw.split(',').filter((p) => p.trim() !== '')) {
    const match = /^([\p{L}\p{Z}\p{N}_.:/+\-@]{1,128})=([\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256})$/u.exec(pair.trim());
    if (!match || match[1] === undefined || match[2] === undefined) return { problem: `must be ${form}` };
    if (match[1].startsWith('aws:')) return { problem: 'must not use the reserved aws: tag prefix' };
    tags[match[1]] = match[2];
  }
  return Object.keys(tags).length <= 50 ? { value: Object.freeze(tags) } : { problem: 'must have at most 50 tags' };
}

/** A folder inside the project: relative, and no `..` that could lead out of it. */
export function projectPath(raw: string): Parsed<string> {
  if (raw.startsWith('/')) return { problem: 'must be relative to the project (an absolute path reaches outside it)' };
  if (raw.split('/').includes('..')) return { problem: 'must not contain .. (it would lead outside the project)' };
  return /^[A-Za-z0-9_./-]{1,255}$/.test(raw) ? { value: raw } : { problem: 'must be a path of letters, digits and _./-' };
}

/** TLS only: every endpoint, the local sandbox's included, is https. */
export function endpointUrl(raw: string): Parsed<string> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { problem: 'must be an absolute URL such as https://host[:port]' };
  }
  if (url.username !== '' || url.password !== '') return { problem: 'must not carry credentials' };
  if (url.protocol === 'https:') return { value: raw.replace(/\/$/, '') };
  return { problem: 'must use https:// (a local endpoint with its own certificate needs AWS_CA_BUNDLE)' };
}
