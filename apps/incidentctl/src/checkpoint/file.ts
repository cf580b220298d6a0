import { linkSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { usageError } from '../cli/exit-codes';
import { type Checkpoint, parseCheckpoint } from './document';

/** Pretty JSON, but one line per stream: a log with a million streams stays a file one can page through. */
export function checkpointText(doc: Checkpoint): string {
  const { streams, signature, ...rest } = doc;
  const head = JSON.stringify({ ...rest, streams: [], signature }, null, 2);
  const lines = streams.map((leaf) => `    ${JSON.stringify(leaf)}`).join(',\n');
  return `${head.replace('"streams": []', streams.length ? `"streams": [\n${lines}\n  ]` : '"streams": []')}\n`;
}

/** Written whole or not at all (temp file + rename); an existing checkpoint is evidence, so only --force replaces it. */
export function writeCheckpoint(file: string, doc: Checkpoint, force: boolean): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, checkpointText(doc), { flag: 'w' });
    // link() refuses an existing name, atomically; rename() replaces it.
    if (force) renameSync(tmp, file);
    else linkSync(tmp, file);
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'EEXIST') throw usageError(`${file} exists; a checkpoint is evidence: choose another file or pass --force`);
    throw usageError(`cannot write ${file}: ${e.message}`);
  } finally {
    rmSync(tmp, { force: true });
  }
}

export function readCheckpoint(file: string): Checkpoint {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw usageError(`cannot read checkpoint ${file}: ${(error as Error).message}`);
  }
  return parseCheckpoint(text, file);
}
