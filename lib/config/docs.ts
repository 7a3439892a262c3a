import { settings, type Setting } from './settings.js';

const deploy = settings.filter((s) => s.group === undefined);
const tools = settings.filter((s) => s.group === 'tools');

/** What the tool settings are for, heading their group in the README table and .env.example. */
const toolsTitle = '`npm run tools`: where the pinned tools for the tests and the sandbox come from, and the cache every task looks in';
const toolsIntro = [
  "By default the official releases are downloaded and verified (terraform against HashiCorp's",
  'signed SHA256SUMS, the GitHub-released tools against their checksums, the AWS provider through',
  'terraform providers mirror). A machine that reaches only package registries builds them from',
  'source instead: TOOLS_SOURCE_DIR and TOOLS_BUILD_FROM_SOURCE=true. Never a silent fallback.',
];

function tableRow(s: Setting): string {
  return `| \`--${s.flag}\` | \`${s.env}\` | ${s.default === undefined ? '(unset)' : `\`${s.default}\``} | ${s.description} |`;
}

/** The README's configuration table, generated from the settings so the two cannot drift; the tool settings last, as a group. */
export function settingsTable(): string {
  return [
    '| Flag | Environment | Default | Meaning |',
    '| --- | --- | --- | --- |',
    ...deploy.map(tableRow),
    `| **Tools** | | | ${toolsTitle} |`,
    ...tools.map(tableRow),
  ].join('\n');
}

function exampleEntry(s: Setting): string {
  return `# ${s.description}.\n${s.default === undefined ? `# ${s.env}=` : `${s.env}=${s.default}`}\n`;
}

/** The settings part of `.env.example`: each setting documented, with its default (or commented out); the tool settings under their heading. */
export function envExampleSettings(): string {
  const heading = [`# ---- ${toolsTitle.replaceAll('`', '')} ----`, ...toolsIntro.map((line) => `# ${line}`)].join('\n');
  return [...deploy.map(exampleEntry), `${heading}\n`, ...tools.map(exampleEntry)].join('\n');
}
