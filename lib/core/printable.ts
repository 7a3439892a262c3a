/**
 * Text from outside (a lock's Who, a server's answer, a file's content) made safe to print
 * on one line: every control character (ANSI escape, newline, carriage return, bell, ...)
 * is shown as a visible escape such as `\x1b` or `\n`, so it can neither repaint the
 * operator's terminal nor forge a line of our own output, and the operator still sees it.
 */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) =>
    c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}
