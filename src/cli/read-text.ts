// Reads a whole text file for the CLI (apps; `-` is standard input). Called by
// the run, check, query and cluster commands.

import { readFileSync } from 'node:fs';
import { CliUsageError } from './io.js';

/** A file's text without a leading UTF-8 BOM; `-` reads standard input. Unreadable files are usage errors. */
export function readText(file: string): string {
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (err) {
    throw new CliUsageError(`cannot read '${file}': ${(err as Error).message}`);
  }
  // Editors on Windows often save UTF-8 with a BOM; it is not part of the text.
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
