// `siddhi query <app.siddhi> --checkpoint-dir <dir> '<q>'` and
// `siddhi query <dir> [--app <name>] '<q>'`: restores the newest checkpoint of
// the app into a runtime that is never fed, runs the on-demand query against
// its tables and named windows, and prints the selected rows as JSON lines.
// The second form reads the app text `siddhi run --checkpoint-dir` saved. Called by cli.ts.

import { statSync } from 'node:fs';
import { CliUsageError, EXIT, loadEngine, type CliIo, parseCommandLine } from './io.js';
import { formatAppError, isAppError } from './format-error.js';
import { readText } from './read-text.js';
import { floatPositionsOf, jsonRow, jsonValue } from '../runtime/values.js';
import { appTextFile, listApps, loadAppText } from './checkpoint-files.js';

const HELP = `usage: siddhi query <app.siddhi> --checkpoint-dir <dir> '<on-demand query>'
       siddhi query <dir> [--app <name>] '<on-demand query>'

Restores the newest checkpoint of the app from <dir> (a --checkpoint-dir of
'siddhi run'), runs the on-demand query, e.g.
  'from StockTable on price > 10 select symbol, price'
  'from StockTable select symbol, sum(volume) as total group by symbol'
and prints one {"data":[…]} line per selected row. The second form takes the
app text that 'siddhi run' saved in <dir>; --app is needed when <dir> holds
several apps. Table writes (delete, update, update or insert) run against the
restored copy only; the checkpoint directory is never written.

exit codes: 0 ok, 1 the app or the query has errors or there is no checkpoint,
2 usage error`;

export async function runQuery(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, { 'checkpoint-dir': { type: 'string' }, app: { type: 'string' } });
  if (values.help) {
    io.stdout.write(`${HELP}\n`);
    return EXIT.ok;
  }
  const [first, query, ...extra] = positionals;
  if (first === undefined) throw new CliUsageError('missing the app file or the checkpoint directory');
  if (query === undefined) throw new CliUsageError('missing the on-demand query');
  if (extra.length > 0) throw new CliUsageError(`unexpected argument '${extra[0]}'`);
  const { dir, file, text } = isDirectory(first) ? fromDirectory(first, values.app, values['checkpoint-dir']) : fromFile(first, values);
  const engine = await loadEngine();
  let runtime;
  try {
    // A read-only store: restoring never writes, and a query's writes stay in memory.
    const files = new engine.FileStore(dir);
    const store = {
      load: (app: string, revision: string) => files.load(app, revision),
      list: (app: string) => files.list(app),
      save: async () => {},
      remove: async () => {},
    };
    runtime = new engine.SiddhiManager().createSiddhiAppRuntime(text, { playback: true, store });
  } catch (err) {
    if (!isAppError(err)) throw err;
    io.stderr.write(`${formatAppError(file, text, err)}\n`);
    return EXIT.app;
  }
  if (values.app !== undefined && runtime.name !== values.app) {
    runtime.shutdown();
    throw new CliUsageError(`'${file}' is app '${runtime.name}', not '${values.app}'`);
  }
  const revision = await runtime.restoreLastRevision();
  if (revision === undefined) {
    io.stderr.write(`siddhi query: no checkpoint of app '${runtime.name}' in '${dir}'\n`);
    return EXIT.app;
  }
  try {
    const { attributes, events } = runtime.queryWithAttributes(query);
    const floats = floatPositionsOf(attributes);
    for (const e of events) io.stdout.write(`${JSON.stringify({ data: jsonRow(e.data, floats) }, jsonValue)}\n`);
  } catch (err) {
    if (!isAppError(err)) throw err;
    io.stderr.write(`${formatAppError('query', query, err)}\n`);
    return EXIT.app;
  } finally {
    runtime.shutdown();
  }
  return EXIT.ok;
}

interface AppSource {
  readonly dir: string;
  /** For messages. */
  readonly file: string;
  readonly text: string;
}

function fromFile(file: string, values: { 'checkpoint-dir'?: string | undefined }): AppSource {
  const dir = values['checkpoint-dir'];
  if (dir === undefined) throw new CliUsageError('missing --checkpoint-dir <dir> (or give the checkpoint directory instead of the app file)');
  return { dir, file, text: readText(file) };
}

function fromDirectory(dir: string, app: string | undefined, checkpointDir: string | undefined): AppSource {
  if (checkpointDir !== undefined) throw new CliUsageError(`'${dir}' is a directory: give either an app file with --checkpoint-dir or the checkpoint directory`);
  const apps = listApps(dir);
  const name = app ?? (apps.length === 1 ? apps[0]! : undefined);
  if (name === undefined) {
    throw new CliUsageError(apps.length === 0 ? `no checkpoints in '${dir}'` : `'${dir}' holds checkpoints of several apps; choose one with --app: ${apps.join(', ')}`);
  }
  const text = loadAppText(dir, name);
  if (text === undefined) {
    throw new CliUsageError(
      `no app text for '${name}' in '${dir}' (${appTextFile(dir, name)} is written by 'siddhi run --checkpoint-dir'); ` +
      `give the app file: siddhi query <app.siddhi> --checkpoint-dir ${dir} '<query>'`,
    );
  }
  return { dir, file: appTextFile(dir, name), text };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

