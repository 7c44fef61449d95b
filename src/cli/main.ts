#!/usr/bin/env node
// The `siddhi` executable (package.json bin → dist/cli/main.js): hands argv to
// runCli with the process's streams and sets the exit code.

import { runCli } from './cli.js';

process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
