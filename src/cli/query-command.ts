// `siddhi query <app.siddhi> --checkpoint-dir <dir> '<on-demand query>'`:
// restores the newest checkpoint of the app into a runtime that is never fed,
// runs the on-demand query against its tables and named windows, and prints
// the selected rows as JSON lines. Called by cli.ts.

import { CliUsageError, EXIT, loadEngine, type CliIo, parseCommandLine } from './io.js';
import { formatAppError, isAppError } from './format-error.js';
import { readText } from './input-lines.js';

const HELP = `usage: siddhi query <app.siddhi> --checkpoint-dir <dir> '<on-demand query>' 

Restores the newest checkpoint of the app from <dir> (a --checkpoint-dir of
'siddhi run'), runs the on-demand query, e.g.
  'from StockTable on price > 10 select symbol, price'
  'from StockTable select symbol, sum(volume) as total group by symbol'
and prints one {"data":[…]} line per selected row. Table writes (delete,
update, update or insert) run against the restored copy only; the checkpoint
directory is never written.

exit codes: 0 ok, 1 the app or the query has errors or there is no checkpoint,
2 usage error`;

export async function runQuery(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, { 'checkpoint-dir': { type: 'string' } });
  if (values.help) {
    io.stdout.write(`${HELP}\n`);
    return EXIT.ok;
  }
  const [file, query, ...extra] = positionals;
  if (file === undefined) throw new CliUsageError('missing the app file');
  if (query === undefined) throw new CliUsageError('missing the on-demand query');
  if (extra.length > 0) throw new CliUsageError(`unexpected argument '${extra[0]}'`);
  const dir = values['checkpoint-dir'];
  if (dir === undefined) throw new CliUsageError('missing --checkpoint-dir <dir>');
  const text = readText(file);
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
  const revision = await runtime.restoreLastRevision();
  if (revision === undefined) {
    io.stderr.write(`siddhi query: no checkpoint of app '${runtime.name}' in '${dir}'\n`);
    return EXIT.app;
  }
  try {
    for (const e of runtime.query(query)) io.stdout.write(`${JSON.stringify({ data: e.data }, jsonValue)}\n`);
  } catch (err) {
    if (!isAppError(err)) throw err;
    io.stderr.write(`${formatAppError('query', query, err)}\n`);
    return EXIT.app;
  } finally {
    runtime.shutdown();
  }
  return EXIT.ok;
}

function jsonValue(_key: string, v: unknown): unknown {
  return typeof v === 'bigint' ? Number(v) : v;
}
