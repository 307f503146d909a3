// Runs `gorch` in-process with captured stdout / stderr (not TTYs, so no progress bars).
import { main } from '../src/index';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout as the separate writes it was made of (streaming shows as several). */
  writes: string[];
}

export async function runCli(...argv: string[]): Promise<CliRun> {
  const writes: string[] = [];
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (s: string) => writes.push(s), isTTY: false },
    stderr: { write: (s: string) => (stderr += s), isTTY: false },
  });
  return { code, stdout: writes.join(''), stderr, writes };
}

export const fixtures = new URL('../../../../shared/fixtures/', import.meta.url);
