import { Command } from 'commander';
import { downloadGPT2 } from '@gorch/gpt2';
import type { CliIO } from '../io';
import { intArg } from '../parse';
import { downloadProgress } from '../progress';

interface DownloadCommandOptions {
  dir?: string;
  revision: string;
  timeout: number;
  offline: boolean;
}

/**
 * `gorch download MODEL`: fetches a GPT-2 checkpoint from the Hugging Face Hub (`HF_ENDPOINT`,
 * `HF_TOKEN`) into the hub cache (or `--dir`) and prints the folder; progress bars on a terminal.
 */
export function downloadCommand(io: CliIO): Command {
  return new Command('download')
    .description('download a GPT-2 model from the Hugging Face Hub (HF_ENDPOINT, HF_TOKEN) and print its folder')
    .argument('<model>', 'Hugging Face id, e.g. openai-community/gpt2')
    .option('--dir <dir>', 'write the files into this folder instead of the Hugging Face cache')
    .option('--revision <rev>', 'branch, tag or commit', 'main')
    .option('--timeout <seconds>', 'give up on a connection silent for this long', intArg(1), 30)
    .option('--offline', 'use only files already downloaded', false)
    .action(async (model: string, o: DownloadCommandOptions) => {
      const progress = downloadProgress(io.stderr);
      try {
        const dir = await downloadGPT2(model, o.dir, {
          revision: o.revision,
          timeoutMs: o.timeout * 1000,
          offline: o.offline || undefined,
          progress: progress.onProgress,
          onFile: progress.onFile,
        });
        progress.stop();
        io.stdout.write(`${dir}\n`);
      } finally {
        progress.stop();
      }
    });
}
