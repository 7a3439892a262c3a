import { settings } from './settings.js';

/** The README's configuration table, generated from the settings so the two cannot drift. */
export function settingsTable(): string {
  const rows = settings.map(
    (s) => `| \`--${s.flag}\` | \`${s.env}\` | ${s.default === undefined ? '(unset)' : `\`${s.default}\``} | ${s.description} |`,
  );
  return ['| Flag | Environment | Default | Meaning |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

/** The settings part of `.env.example`: each setting documented, with its default (or commented out). */
export function envExampleSettings(): string {
  return settings.map((s) => `# ${s.description}.\n${s.default === undefined ? `# ${s.env}=` : `${s.env}=${s.default}`}\n`).join('\n');
}
