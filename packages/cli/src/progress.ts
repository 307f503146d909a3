import cliProgress from 'cli-progress';
import type { FileProgress, FileStatus } from '@gorch/gpt2';
import type { OutStream } from './io';

const mb = (n: number) => (n / 1e6).toFixed(1);

/**
 * Download progress: one cli-progress bar per file on a terminal; on anything else (a pipe, CI) one
 * plain line per file once it is obtained, so logs stay readable.
 */
export function downloadProgress(out: OutStream): { onProgress: (p: FileProgress) => void; onFile: (file: string, status: FileStatus) => void; stop: () => void } {
  if (!out.isTTY) {
    return {
      onProgress: () => {},
      onFile: (file, status) => void (status !== 'absent' && out.write(`${file}: ${status}\n`)),
      stop: () => {},
    };
  }
  const multi = new cliProgress.MultiBar(
    { stream: out as NodeJS.WritableStream, format: '{file} [{bar}] {percentage}% | {done}/{size} MB', hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  const bars = new Map<string, cliProgress.SingleBar>();
  let stopped = false;
  return {
    onProgress: (p) => {
      const total = p.total ?? Math.max(p.bytes, 1);
      let bar = bars.get(p.file);
      if (bar === undefined) {
        bar = multi.create(total, 0, { file: p.file, done: '0.0', size: mb(total) });
        bars.set(p.file, bar);
      }
      bar.setTotal(total);
      bar.update(p.bytes, { done: mb(p.bytes), size: mb(total) });
    },
    onFile: () => {},
    stop: () => {
      if (!stopped) multi.stop();
      stopped = true;
    },
  };
}

/**
 * Training progress: a cli-progress bar with the loss on a terminal, else a plain line about every
 * tenth of the run (and the last step).
 */
export function stepProgress(out: OutStream, steps: number): { update: (step: number, loss: number) => void; stop: () => void } {
  if (!out.isTTY) {
    const every = Math.max(1, Math.round(steps / 10));
    return {
      update: (step, loss) => void ((step % every === 0 || step === steps - 1) && out.write(`step ${step + 1}/${steps} loss ${loss.toFixed(4)}\n`)),
      stop: () => {},
    };
  }
  const bar = new cliProgress.SingleBar(
    { stream: out as NodeJS.WritableStream, format: 'fine-tune [{bar}] {value}/{total} steps | loss {loss} | {duration_formatted}', hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(steps, 0, { loss: '-' });
  return { update: (step, loss) => bar.update(step + 1, { loss: loss.toFixed(4) }), stop: () => bar.stop() };
}
