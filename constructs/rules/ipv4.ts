/**
 * Whether `text` is a dotted-quad IPv4 address, exactly as Node's `net.isIPv4` decides (its own pattern,
 * lib/internal/net.js): importing `node:net` for it would load sockets and streams at every synth start.
 * test/ipv4.test.ts holds the two equal.
 */
export function isIPv4(text: string): boolean {
  return /^(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])$/.test(`${text}`);
}
