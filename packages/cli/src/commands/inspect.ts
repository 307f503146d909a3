import { existsSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Command } from 'commander';
import { loadONNX } from '@gorch/io-onnx';
import { openSafetensors } from '@gorch/io-safetensors';
import { CliError } from '../errors';
import type { CliIO } from '../io';

/** One tensor of a summary. */
export interface TensorRow {
  name: string;
  dtype: string;
  shape: number[];
}

/** What `gorch inspect` reports about a file. */
export interface FileSummary {
  file: string;
  format: 'safetensors' | 'onnx';
  tensors: TensorRow[];
  /** Sum of the element counts of all tensors (ONNX: initializers). */
  parameters: number;
  /** ONNX only: operator counts, graph inputs / outputs, opsets, producer. */
  onnx?: { ops: Record<string, number>; inputs: string[]; outputs: string[]; opsets: string[]; producer: string };
  metadata: Record<string, string>;
}

const numel = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

async function safetensorsSummary(file: string): Promise<FileSummary> {
  const reader = await openSafetensors(file);
  try {
    const tensors = reader.keys().map((name) => ({ name, dtype: reader.header[name].dtype, shape: [...reader.header[name].shape] }));
    return { file, format: 'safetensors', tensors, parameters: tensors.reduce((s, t) => s + numel(t.shape), 0), metadata: { ...reader.metadata } };
  } finally {
    await reader.close();
  }
}

function onnxSummary(file: string): FileSummary {
  const m = loadONNX(file);
  const tensors = m.names.map((name) => {
    const t = m.tensors.get(name)!;
    return { name, dtype: t.dtype, shape: [...t.dims] };
  });
  const ops: Record<string, number> = {};
  for (const n of m.nodes) {
    const key = n.domain && n.domain !== 'ai.onnx' ? `${n.domain}.${n.opType}` : n.opType;
    ops[key] = (ops[key] ?? 0) + 1;
  }
  const initializers = new Set(m.names);
  return {
    file,
    format: 'onnx',
    tensors,
    parameters: tensors.reduce((s, t) => s + numel(t.shape), 0),
    onnx: {
      ops,
      inputs: m.inputs.filter((i) => !initializers.has(i.name)).map((i) => i.name),
      outputs: m.outputs.map((o) => o.name),
      opsets: m.opsetImports.map((o) => `${o.domain || 'ai.onnx'} ${o.version}`),
      producer: `${m.producer.name} ${m.producer.version}`.trim(),
    },
    metadata: { ...m.metadata },
  };
}

/**
 * Summarizes a weights file: a `.safetensors` file (header only, via @gorch/io-safetensors), a
 * sharded `model.safetensors.index.json`, or an `.onnx` model (via @gorch/io-onnx); a folder is
 * searched for `model.safetensors`, `model.safetensors.index.json`, then `model.onnx`.
 * @throws CliError for a missing file or an unknown extension; the readers' own errors for a bad file
 */
export async function summarize(path: string): Promise<FileSummary> {
  if (!existsSync(path)) throw new CliError(`inspect: ${path}: no such file or folder`);
  let file = path;
  if (statSync(path).isDirectory()) {
    const found = ['model.safetensors', 'model.safetensors.index.json', 'model.onnx'].map((f) => join(path, f)).find((f) => existsSync(f));
    if (found === undefined) throw new CliError(`inspect: ${path}: no model.safetensors, model.safetensors.index.json or model.onnx in this folder`);
    file = found;
  }
  try {
    if (file.endsWith('.safetensors') || file.endsWith('.safetensors.index.json')) return await safetensorsSummary(file);
    if (file.endsWith('.onnx')) return onnxSummary(file);
  } catch (e) {
    if (e instanceof Error && !e.message.includes(file)) e.message = `${file}: ${e.message}`; // not every reader error names it
    throw e;
  }
  throw new CliError(`inspect: ${file}: unknown format (expected .safetensors, .safetensors.index.json or .onnx)`);
}

/** The summary as an aligned text table followed by totals. */
export function formatSummary(s: FileSummary): string {
  const rows = s.tensors.map((t) => [t.name, t.dtype, `[${t.shape.join(', ')}]`, numel(t.shape).toLocaleString('en-US')]);
  const head = ['name', 'dtype', 'shape', 'numel'];
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === 3 ? c.padStart(width[i]) : c.padEnd(width[i]))).join('  ').trimEnd();
  const out = [`${basename(s.file)}: ${s.format}, ${s.tensors.length} tensors`, line(head), ...rows.map(line)];
  if (s.onnx) {
    out.push(`producer: ${s.onnx.producer || '-'}; opsets: ${s.onnx.opsets.join(', ')}`);
    out.push(`inputs: ${s.onnx.inputs.join(', ')}; outputs: ${s.onnx.outputs.join(', ')}`);
    out.push(`ops: ${Object.entries(s.onnx.ops).map(([k, v]) => `${k} x${v}`).join(', ')}`);
  }
  out.push(`parameters: ${s.parameters.toLocaleString('en-US')}`);
  return `${out.join('\n')}\n`;
}

/** `gorch inspect FILE`: names, dtypes, shapes and the parameter count of a safetensors or ONNX file. */
export function inspectCommand(io: CliIO): Command {
  return new Command('inspect')
    .description('summarize a .safetensors or .onnx file: tensor names, dtypes, shapes, parameter count')
    .argument('<file>', '.safetensors, model.safetensors.index.json, .onnx, or a folder holding one')
    .option('--json', 'print JSON', false)
    .action(async (file: string, o: { json: boolean }) => {
      const s = await summarize(file);
      io.stdout.write(o.json ? `${JSON.stringify(s)}\n` : formatSummary(s));
    });
}
