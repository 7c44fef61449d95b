// `siddhi check <app.siddhi> …`: validates apps and prints each problem with
// its line, column and a caret. Called by cli.ts.

import { CliUsageError, EXIT, loadEngine, type CliIo, parseCommandLine } from './io.js';
import { formatAppError, isAppError } from './format-error.js';
import { readText } from './read-text.js';

const HELP = `usage: siddhi check <app.siddhi> [more.siddhi …]

Parses and plans each app without running it. Prints "<file>: ok" for a valid
app, or every problem as <file>:<line>:<column> with the source line and a caret.

exit codes: 0 all valid, 1 some app has errors, 2 usage error (e.g. missing file)`;

export async function runCheck(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv);
  if (values.help) {
    io.stdout.write(`${HELP}\n`);
    return EXIT.ok;
  }
  if (positionals.length === 0) throw new CliUsageError('missing the app file to check');
  const texts = positionals.map((file) => ({ file, text: readText(file) }));
  const engine = await loadEngine();
  const manager = new engine.SiddhiManager();
  let code: number = EXIT.ok;
  for (const { file, text } of texts) {
    try {
      manager.validateSiddhiApp(text);
      io.stdout.write(`${file}: ok\n`);
    } catch (err) {
      if (!isAppError(err)) throw err;
      io.stderr.write(`${formatAppError(file, text, err)}\n`);
      code = EXIT.app;
    }
  }
  return code;
}

function parseCommandArgs(argv: string[]) {
  return parseCommandLine(argv, {});
}
