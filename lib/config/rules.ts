import { readFileSync, statSync } from 'node:fs';

/**
 * Small value checkers used by the settings table. Each returns the parsed value or
 * an `Invalid` naming the allowed form, so every problem can be reported at once.
 */
export interface Invalid {
  problem: string;
  /** How to show the rejected value, when showing it as given could leak a secret. */
  shown?: string;
}
export type Parsed<T> = { value: T } | Invalid;

export function isInvalid(parsed: { value: unknown } | Invalid): parsed is Invalid {
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
    // AWS reserves the prefix in any case (AWS:, Aws:), and S3 rejects a tag set with a key twice.
    if (/^aws:/i.test(match[1])) return { problem: `must not use the reserved aws: tag prefix (in any case): ${match[1]}` };
    if (Object.hasOwn(tags, match[1])) return { problem: `must not set the key ${match[1]} twice` };
    tags[match[1]] = match[2];
  }
  return Object.keys(tags).length <= 50 ? { value: Object.freeze(tags) } : { problem: 'must have at most 50 tags' };
}

/** The PEM file of AWS_CA_BUNDLE: checked with the other settings, before any AWS call. */
export function caBundleFile(raw: string): Parsed<string> {
  // Absolute: terraform reads it from inside .terragrunt-cache, not from the project.
  if (!/^\/[A-Za-z0-9_./-]{1,254}$/.test(raw)) return { problem: 'must be an absolute path of letters, digits and _./-' };
  let pem: string;
  try {
    if (!statSync(raw).isFile()) return { problem: 'must be a file (a PEM bundle of certificates)' };
    pem = readFileSync(raw, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { problem: code === 'ENOENT' ? 'names a file that does not exist' : `names a file that cannot be read (${code ?? 'error'})` };
  }
  return pemProblem(pem) ?? { value: raw };
}

/**
 * Every certificate block must parse: Node's TLS context and terraform's both skip a damaged
 * block without a word, so the authority it was meant to add would be missing, and the run
 * would fail later on an untrusted certificate, far from its cause.
 */
function pemProblem(pem: string): Invalid | undefined {
  // Loaded here, not at the top: the settings table is read by every --help, which never checks a bundle.
  const { X509Certificate } = process.getBuiltinModule('node:crypto');
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) return { problem: 'must be a PEM file holding at least one certificate' };
  const damaged = blocks.findIndex((block) => {
    try {
      new X509Certificate(block);
      return false;
    } catch {
      return true;
    }
  });
  if (damaged < 0) return undefined;
  return { problem: `must hold only readable PEM certificates: certificate ${damaged + 1} of ${blocks.length} cannot be parsed` };
}

/**
 * A path that names one file wherever it is used: the tasks check the binary from the project,
 * terragrunt runs terraform from inside the unit's .terragrunt-cache, so a relative path would
 * name two different files (or none).
 */
export function absoluteBinary(raw: string): Parsed<string> {
  if (!raw.startsWith('/'))
    return {
      problem: 'must be an absolute path (terragrunt runs terraform from the unit folder, where a relative path names another file)',
    };
  return /^\/[A-Za-z0-9_./+-]{1,254}$/.test(raw) ? { value: raw } : { problem: 'must be a path of letters, digits and _./+-' };
}

/** A file or folder outside the project, named the same from any working directory. */
export function absolutePath(raw: string): Parsed<string> {
  if (!raw.startsWith('/')) return { problem: 'must be an absolute path (a relative one would depend on the folder npm was run in)' };
  return /^\/[^\u0000-\u001f\u007f]{0,4095}$/.test(raw) ? { value: raw } : { problem: 'must not contain control characters' };
}

/**
 * A download base: https only (the GitHub tools' checksums come from the same server as the
 * files they vouch for), no query or fragment (file paths are appended), no trailing slash.
 */
export function httpsBase(raw: string): Parsed<string> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return {
      problem: 'must be an https:// URL such as https://mirror.example.com/base',
      shown: '(not shown: not a URL, and it may hold a password)',
    };
  }
  if (url.protocol !== 'https:') return { problem: 'must be an https:// URL (downloads are verified against files from the same server)' };
  if (url.search !== '' || url.hash !== '')
    return { problem: 'must be an https:// URL without query or fragment (file paths are appended to it)' };
  return { value: raw.replace(/\/+$/, '') };
}

/** A folder inside the project: relative, and no `..` that could lead out of it. */
export function projectPath(raw: string): Parsed<string> {
  if (raw.startsWith('/')) return { problem: 'must be relative to the project (an absolute path reaches outside it)' };
  if (raw.split('/').includes('..')) return { problem: 'must not contain .. (it would lead outside the project)' };
  return /^[A-Za-z0-9_./-]{1,255}$/.test(raw) ? { value: raw } : { problem: 'must be a path of letters, digits and _./-' };
}

/**
 * A URL for messages: user and password replaced on the parsed URL, whatever their form
 * (leading blanks, percent-encoding). Undefined when the text is not a URL at all.
 */
export function maskedUrl(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.username === '' && url.password === '') return raw;
  url.username = '***';
  url.password = '';
  return url.href;
}

/** TLS only: every endpoint, the local sandbox's included, is https. */
export function endpointUrl(raw: string): Parsed<string> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // Unparseable (e.g. a "/" in a password ends the host early): never echo it, it may hold a secret.
    return { problem: 'must be an absolute URL such as https://host[:port]', shown: '(not shown: not a URL, and it may hold a password)' };
  }
  if (url.username !== '' || url.password !== '') return { problem: 'must not carry credentials', shown: maskedUrl(raw) ?? '' };
  // The URL parser drops tabs and newlines anywhere and blanks at either end; terraform's and
  // terragrunt's parsers do not, so a pasted trailing newline would pass here and fail there.
  // Shown as given (no credentials in it), where the escaped \n or \t is what to delete.
  if (/[\u0000-\u0020\u007f]/.test(raw))
    return { problem: 'must not contain blanks or control characters (a trailing newline or tab from a copy and paste?)', shown: raw };
  if (url.protocol === 'https:') return { value: raw.replace(/\/$/, '') };
  return { problem: 'must use https:// (a local endpoint with its own certificate needs AWS_CA_BUNDLE)' };
}
