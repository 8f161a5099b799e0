/**
 * Text from a file or a server as one terminal line: control bytes (ESC, carriage return, bell, …) escaped as
 * `\uXXXX`, only the first line, at most `max` characters. Nothing raw from outside reaches the terminal.
 */
export function printable(text: unknown, max = 200): string {
  const line = String(text).split(/\r?\n/)[0]
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return line.length > max ? `${line.slice(0, max - 3)}...` : line;
}

/**
 * Text for a terminal: every control byte but line feed and tab escaped as `\uXXXX`. Every command's
 * standard output and error pass through it (cli/run.ts, main.ts), so no file or server can move the
 * cursor, clear the screen or retitle the window through a message that quotes it.
 */
export function terminalSafe(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
