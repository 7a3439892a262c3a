/**
 * $GITHUB_OUTPUT as GitHub's runner reads it: `name=value` lines, and `name<<DELIMITER` blocks
 * whose value is every line up to the delimiter's own line. A block without its delimiter is
 * an error, as it is for the runner.
 */
export function parseGithubOutput(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    const block = /^([^=<]+)<<(.+)$/.exec(line);
    if (block) {
      const end = lines.indexOf(block[2] ?? '', i + 1);
      if (end < 0) throw new Error(`$GITHUB_OUTPUT: the block of ${block[1]} has no closing ${block[2]}`);
      outputs[block[1] ?? ''] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (line.includes('=')) {
      outputs[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    } else if (line !== '') {
      throw new Error(`$GITHUB_OUTPUT: a line that is neither name=value nor name<<delimiter: ${line}`);
    }
  }
  return outputs;
}
