import { writeSync } from 'node:fs';

/**
 * Writes to a standard stream's file descriptor directly. The first touch of `process.stdout` builds
 * Node's stream machinery for it, a large part of a small synth's run; a synchronous program that
 * writes a few lines needs none of it. A reader that has gone (EPIPE) ends the program quietly, as
 * `| head` expects; a descriptor that would block (a non-blocking pipe) falls back to the stream.
 */
export function directWriter(fd: 1 | 2): (text: string) => void {
  let stream: NodeJS.WriteStream | undefined;
  return (text) => {
    if (stream) {
      stream.write(text);
      return;
    }
    const bytes = Buffer.from(text);
    let offset = 0;
    try {
      while (offset < bytes.length) offset += writeSync(fd, bytes, offset);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') process.exit(process.exitCode ?? 0);
      if (code !== 'EAGAIN') throw error;
      stream = fd === 1 ? process.stdout : process.stderr;
      stream.write(bytes.subarray(offset));
    }
  };
}
