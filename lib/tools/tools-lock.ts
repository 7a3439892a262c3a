import { join } from 'node:path';
import { configError, readProjectFile } from './tool-versions.js';

/** tools.lock.json: the pins and build recipes of every tool besides the two .tool-versions pins. */

/** The tools tools.lock.json pins, in the order `npm run tools` lists them. */
export const goTools = ['terraform', 'terragrunt', 'aws-provider', 'tflint', 'tflint-ruleset-aws', 'actionlint'] as const;
export type GoTool = (typeof goTools)[number];
export const pythonTools = ['checkov', 'moto'] as const;
export type PythonTool = (typeof pythonTools)[number];

/** How to build one Go tool through a wrapper module (see lib/tools/go-build.ts). */
export interface GoRecipe {
  version: string;
  module: string;
  moduleVersion: string;
  package: string;
  binary: string;
  goVersion: string;
  /** `old [ver] => new ver` lines, copied into the wrapper's go.mod. */
  replace: string[];
  /** `{version}` is replaced with `version`. */
  ldflags: string;
  /** The upstream release as a `git archive` tarball, for machines whose proxy refuses the module (TOOLS_SOURCE_DIR). */
  sourceArchive?: SourceArchive;
}

/** `<file>` in TOOLS_SOURCE_DIR holds one top folder, `<topDir>/`, the module root at the release tag. */
export interface SourceArchive {
  file: string;
  sha256: string;
  topDir: string;
}

export interface PythonPin {
  version: string;
  package: string;
  extras: string[];
}

export interface ToolsLock {
  go: Record<GoTool, GoRecipe>;
  python: Record<PythonTool, PythonPin>;
  /** The provider address Terraform resolves `hashicorp/aws` to (names the mirror's directories). */
  terraformProviderSource: string;
  /** The registry release of that provider `npm run tools` downloads; read it through providerRelease(). */
  terraformProvider: { version: string };
}

/** The provider release the registry serves: the one place that knows which field of tools.lock.json holds it. */
export function providerRelease(lock: ToolsLock): string {
  return lock.terraformProvider.version;
}

const patterns = {
  version: /^\d+\.\d+\.\d+$/,
  module: /^[a-z0-9.-]+(\/[A-Za-z0-9._~-]+)+$/,
  moduleVersion: /^v\d+\.\d+\.\d+([-+][0-9A-Za-z.+-]+)?$/,
  binary: /^[a-z0-9][a-z0-9_-]*$/,
  goVersion: /^\d+\.\d+(\.\d+)?$/,
  replace: /^[a-z0-9.-]+(\/[A-Za-z0-9._~-]+)*( v\S+)? => [a-z0-9.-]+(\/[A-Za-z0-9._~-]+)* v[0-9A-Za-z.+-]+$/,
  ldflags: /^(-s|-w|-X [A-Za-z0-9._/-]+=[A-Za-z0-9.{}_-]+)( (-s|-w|-X [A-Za-z0-9._/-]+=[A-Za-z0-9.{}_-]+))*$/,
  pyPackage: /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
  source: /^[a-z0-9.-]+\/[a-z0-9-]+\/[a-z0-9-]+$/,
  archiveFile: /^[a-z0-9][a-z0-9._-]*\.tar\.gz$/,
  sha256: /^[0-9a-f]{64}$/,
  topDir: /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
} as const;

function field(file: string, path: string, value: unknown, pattern: RegExp): string {
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw configError(`${file}: ${path} is ${JSON.stringify(value)}, which does not match ${pattern}`, `fix ${path} in ${file}`);
  }
  return value;
}

function record(file: string, path: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw configError(`${file}: ${path} is missing or not an object`, `restore ${path} in ${file} from git`);
  }
  return value as Record<string, unknown>;
}

function list(file: string, path: string, value: unknown, pattern: RegExp): string[] {
  if (!Array.isArray(value)) throw configError(`${file}: ${path} is not a list`, `fix ${path} in ${file}`);
  return value.map((item, i) => field(file, `${path}[${i}]`, item, pattern));
}

function goRecipe(file: string, name: string, raw: unknown): GoRecipe {
  const r = record(file, `go.${name}`, raw);
  const at = (key: string): string => `go.${name}.${key}`;
  return {
    version: field(file, at('version'), r.version, patterns.version),
    module: field(file, at('module'), r.module, patterns.module),
    moduleVersion: field(file, at('moduleVersion'), r.moduleVersion, patterns.moduleVersion),
    package: field(file, at('package'), r.package, patterns.module),
    binary: field(file, at('binary'), r.binary, patterns.binary),
    goVersion: field(file, at('goVersion'), r.goVersion, patterns.goVersion),
    replace: list(file, at('replace'), r.replace, patterns.replace),
    ldflags: field(file, at('ldflags'), r.ldflags, patterns.ldflags),
    ...(r.sourceArchive === undefined ? {} : { sourceArchive: sourceArchive(file, at('sourceArchive'), r.sourceArchive) }),
  };
}

function sourceArchive(file: string, path: string, raw: unknown): SourceArchive {
  const r = record(file, path, raw);
  return {
    file: field(file, `${path}.file`, r.file, patterns.archiveFile),
    sha256: field(file, `${path}.sha256`, r.sha256, patterns.sha256),
    topDir: field(file, `${path}.topDir`, r.topDir, patterns.topDir),
  };
}

function pythonPin(file: string, name: string, raw: unknown): PythonPin {
  const r = record(file, `python.${name}`, raw);
  return {
    version: field(file, `python.${name}.version`, r.version, patterns.version),
    package: field(file, `python.${name}.package`, r.package, patterns.pyPackage),
    extras: list(file, `python.${name}.extras`, r.extras, patterns.pyPackage),
  };
}

/** Validates every value against an allow-list: they end up as arguments of go and pip. */
export function parseToolsLock(text: string, file: string): ToolsLock {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw configError(`${file} is not valid JSON: ${(error as Error).message}`, `fix the JSON syntax in ${file}`);
  }
  const root = record(file, '(root)', data);
  const go = record(file, 'go', root.go);
  const python = record(file, 'python', root.python);
  return {
    go: Object.fromEntries(goTools.map((t) => [t, goRecipe(file, t, go[t])])) as Record<GoTool, GoRecipe>,
    python: Object.fromEntries(pythonTools.map((t) => [t, pythonPin(file, t, python[t])])) as Record<PythonTool, PythonPin>,
    terraformProviderSource: field(file, 'terraformProviderSource', root.terraformProviderSource, patterns.source),
    terraformProvider: {
      version: field(
        file,
        'terraformProvider.version',
        record(file, 'terraformProvider', root.terraformProvider).version,
        patterns.version,
      ),
    },
  };
}

export async function readToolsLock(projectDir: string): Promise<ToolsLock> {
  const file = join(projectDir, 'tools.lock.json');
  return parseToolsLock(await readProjectFile(file), file);
}
