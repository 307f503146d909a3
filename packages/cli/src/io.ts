/** A stream the CLI writes to (process.stdout / process.stderr, or a buffer in tests). */
export interface OutStream {
  write(text: string): unknown;
  /** True on a terminal: progress bars are drawn only there. */
  isTTY?: boolean;
}

/** Everything the commands touch outside themselves, so `main()` runs in-process in tests. */
export interface CliIO {
  stdout: OutStream;
  stderr: OutStream;
}

/** The real process streams. */
export function processIO(): CliIO {
  return { stdout: process.stdout, stderr: process.stderr };
}
