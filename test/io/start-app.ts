// Test helper: creates, starts and readies an app, collecting what it reports.
import { SiddhiManager, type SiddhiAppRuntime } from '../../src/index.js';

const quiet = { info() {}, warn() {}, error() {}, debug() {} };

/** Starts `text` and pushes the runtime on `running` (the caller shuts them down after each test). */
export async function startApp(
  running: SiddhiAppRuntime[],
  text: string,
  manager = new SiddhiManager({ logger: quiet }),
): Promise<{ runtime: SiddhiAppRuntime; errors: string[] }> {
  const runtime = manager.createSiddhiAppRuntime(text);
  running.push(runtime);
  const errors: string[] = [];
  runtime.onError((e) => errors.push(e.message));
  runtime.start();
  await runtime.ready();
  return { runtime, errors };
}
