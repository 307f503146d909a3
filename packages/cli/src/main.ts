import { Command, CommanderError } from 'commander';
import { GorchError } from '@gorch/tensor';
import { downloadCommand } from './commands/download';
import { finetuneCommand } from './commands/finetune';
import { generateCommand } from './commands/generate';
import { inspectCommand } from './commands/inspect';
import { tokenizeCommand } from './commands/tokenize';
import { useBackend } from './backend';
import { CliError } from './errors';
import { processIO, type CliIO } from './io';

/** The `gorch` program (commander), writing to `io`, throwing instead of exiting. */
export function buildProgram(io: CliIO): Command {
  const program = new Command('gorch')
    .description('gorch: GPT-2 in TypeScript. Run `gorch generate` to hear the embedded model answer.')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .option('--backend <name>', 'compute backend: wasm (SIMD kernels) or js', process.env.GORCH_BACKEND ?? 'wasm')
    .hook('preAction', async (cmd) => {
      await useBackend(cmd.opts().backend as string, io);
    });
  for (const make of [generateCommand, tokenizeCommand, inspectCommand, downloadCommand, finetuneCommand]) {
    program.addCommand(make(io).exitOverride().showHelpAfterError().configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) }));
  }
  return program;
}

/**
 * Runs `gorch` with `argv` (without the node and script paths) and resolves to the exit status:
 * 0 on success (and for --help / --version), 2 for a usage error (the message names the option; also a
 * typed library error whose code ends in `ARG`), 1 for any other failure, printed as `gorch: <message>` (typed gorch errors: their code too).
 */
export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  try {
    await buildProgram(io).parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2; // commander already printed it
    if (e instanceof CliError) {
      io.stderr.write(`gorch: ${e.message}\n`);
      return 2;
    }
    // typed errors of gorch and of its readers (SafetensorsError, ONNXError...) carry a code: no stack
    const code = e instanceof GorchError ? e.code : (e as { code?: unknown } | null)?.code;
    if (e instanceof Error && typeof code === 'string') {
      io.stderr.write(`gorch: ${e.message} [${code}]\n`);
      // an argument a library rejected (E_DOWNLOAD_ARG, E_ARG, ...) is a usage error like ours
      return /(^|_)ARG$/.test(code) ? 2 : 1;
    }
    io.stderr.write(`gorch: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 1;
  }
}
