#!/usr/bin/env node
// The `xinyong` command. TypeScript sources run through tsx's loader, so there is no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
const code = await main(process.argv.slice(2));
// Exit explicitly: an exit hook of the embedded PostgreSQL package (async-exit-hook, on
// 'beforeExit') calls process.exit(0), which would replace a process.exitCode of 1 or 2 with 0.
process.exit(code);
